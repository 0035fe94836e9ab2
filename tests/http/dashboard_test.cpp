// The built-in dashboard's files: served from the binary, with no
// credential, under a policy that runs only the page's own code.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "dashboard/dashboard_assets.hpp"
#include "dashboard/dashboard_response.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;

namespace {

// Every local file index.html refers to (src= and href= starting with /).
std::set<std::string> referenced_files(const std::string& html) {
  std::set<std::string> files;
  const std::regex reference(R"re((?:src|href)="(/[^"#]*)")re");
  for (std::sregex_iterator it(html.begin(), html.end(), reference), end; it != end; ++it) files.insert((*it)[1]);
  return files;
}

}  // namespace

TEST_CASE("GET / serves the dashboard's page with no credential, under a strict policy", "[http][dashboard]") {
  TestServer server;
  auto client = server.client();
  const auto page = client.get("/");
  REQUIRE(page.status == 200);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.body.find("<title>Achilles") != std::string::npos);

  const std::string policy = page.header("Content-Security-Policy");
  CHECK(policy.find("default-src 'none'") != std::string::npos);
  CHECK(policy.find("script-src 'self'") != std::string::npos);
  CHECK(policy.find("connect-src 'self'") != std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(policy.find("unsafe") == std::string::npos);  // no inline code, no eval
  CHECK(page.header("X-Frame-Options") == "DENY");
  CHECK(page.header("X-Content-Type-Options") == "nosniff");
  CHECK(page.header("Cache-Control") == "no-cache");
  // Each header once: the API's defaults do not add a second, looser one.
  CHECK(page.headers.count("Content-Security-Policy") == 1);
  CHECK(page.headers.count("Cache-Control") == 1);

  CHECK(client.head("/").status == 200);
  CHECK(client.get("/index.html").body == page.body);
}

TEST_CASE("every file the page refers to is served with its type", "[http][dashboard]") {
  TestServer server;
  auto client = server.client();
  const auto files = referenced_files(client.get("/").body);
  CHECK(files.count("/dashboard/app.js") == 1);
  CHECK(files.count("/dashboard/dashboard.css") == 1);
  for (const auto& file : files) {
    INFO(file);
    const auto reply = client.get(file);
    CHECK(reply.status == 200);
    CHECK(!reply.body.empty());
    CHECK(reply.header("Content-Security-Policy") == server::kDashboardContentSecurityPolicy);
  }
  // The modules app.js imports are served too.
  const std::regex import_from(R"re(from "\./([a-z_]+\.js)")re");
  for (const auto& asset : server::dashboard_assets()) {
    const std::string body(asset.body);
    for (std::sregex_iterator it(body.begin(), body.end(), import_from), end; it != end; ++it) {
      const std::string module = "/dashboard/" + std::string((*it)[1]);
      INFO(std::string(asset.path) << " imports " << module);
      const auto reply = client.get(module);
      CHECK(reply.status == 200);
      CHECK(reply.header("Content-Type") == "text/javascript; charset=utf-8");
    }
  }
}

TEST_CASE("the page carries no inline script, handler or style the policy would block", "[http][dashboard]") {
  for (const auto& asset : server::dashboard_assets()) {
    if (!asset.content_type.starts_with("text/html")) continue;
    const std::string html(asset.body);
    INFO(std::string(asset.path));
    // Every <script> has a src; no on*= handler, no style attribute, no javascript: URL.
    const std::regex script_tag("<script([^>]*)>");
    for (std::sregex_iterator it(html.begin(), html.end(), script_tag), end; it != end; ++it)
      CHECK(std::string((*it)[1]).find("src=") != std::string::npos);
    CHECK(!std::regex_search(html, std::regex(R"(\son[a-z]+\s*=)", std::regex::icase)));
    CHECK(!std::regex_search(html, std::regex(R"(\sstyle\s*=)", std::regex::icase)));
    CHECK(html.find("<style") == std::string::npos);
    CHECK(html.find("javascript:") == std::string::npos);
  }
  for (const auto& asset : server::dashboard_assets()) {
    if (!asset.content_type.starts_with("text/javascript")) continue;
    const std::string js(asset.body);
    INFO(std::string(asset.path));
    CHECK(js.find("eval(") == std::string::npos);
    CHECK(js.find("new Function") == std::string::npos);
    CHECK(js.find("innerHTML") == std::string::npos);  // text goes in as text, never as markup
    CHECK(js.find("localStorage.setItem") == std::string::npos);  // the token stays in sessionStorage
    CHECK(js.find("document.cookie") == std::string::npos);
  }
}

TEST_CASE("outside /api/, only the dashboard's files answer, and only to GET and HEAD", "[http][dashboard]") {
  TestServer server;
  auto client = server.client();
  CHECK(client.get("/dashboard/missing.js").status == 404);
  CHECK(client.get("/dashboard/../api/health").status != 200);
  const auto post = client.request(boost::beast::http::verb::post, "/", "", "{}");
  CHECK(post.status == 404);
  CHECK(post.header("Content-Type") == "application/json; charset=utf-8");
  // The API keeps its own JSON-only policy.
  const auto api = client.get("/api/health");
  CHECK(api.header("Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'");
  CHECK(api.header("Cache-Control") == "no-store");
}
