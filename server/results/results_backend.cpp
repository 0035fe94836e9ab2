#include "results/results_backend.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <boost/url/parse.hpp>
#include <cstdlib>
#include <stdexcept>

#include "achilles/elasticsearch/curl_transport.hpp"
#include "achilles/elasticsearch/elasticsearch_risk_acceptances.hpp"
#include "achilles/errors.hpp"

namespace achilles::server {
namespace {

struct ResolvedAddress {
  IpAddress address;
  std::string text;  // numeric, as getnameinfo writes it
};

// Every address the URL's host name resolves to; empty when it does not
// resolve or is an address itself.
std::vector<ResolvedAddress> resolve_host(std::string_view url) {
  std::vector<ResolvedAddress> out;
  auto parsed = OutboundUrl::parse(url);
  if (!parsed || IpAddress::parse(parsed->host)) return out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(parsed->host.c_str(), nullptr, &hints, &found) != 0) return out;
  for (addrinfo* a = found; a; a = a->ai_next) {
    char text[NI_MAXHOST];
    if (::getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) == 0)
      if (auto ip = IpAddress::parse(text)) out.push_back({*ip, text});
  }
  ::freeaddrinfo(found);
  return out;
}

std::vector<IpAddress> addresses_of(const std::vector<ResolvedAddress>& resolved) {
  std::vector<IpAddress> out;
  for (const auto& r : resolved) out.push_back(r.address);
  return out;
}

// curl's "host:port:address,…" pin for the checked addresses of `url`.
std::string pin_for(const std::string& url, const std::vector<ResolvedAddress>& resolved) {
  if (resolved.empty()) return {};
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return {};
  std::string port(parsed->port());
  if (port.empty()) port = parsed->scheme() == "https" ? "443" : "80";
  std::string pin = std::string(parsed->encoded_host()) + ":" + port + ":";
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    if (i) pin += ",";
    const bool v6 = resolved[i].text.find(':') != std::string::npos;
    pin += v6 ? "[" + resolved[i].text + "]" : resolved[i].text;
  }
  return pin;
}

}  // namespace

std::chrono::milliseconds elasticsearch_timeout() {
  const char* text = std::getenv("ACHILLES_ES_TIMEOUT_MS");
  if (!text || !*text) return std::chrono::seconds(30);
  char* end = nullptr;
  const long ms = std::strtol(text, &end, 10);
  if (*end != '\0' || ms <= 0) throw std::invalid_argument("ACHILLES_ES_TIMEOUT_MS: not a positive number of milliseconds");
  return std::chrono::milliseconds(ms);
}

std::optional<std::string> refused_cluster_url(const std::string& url, const std::vector<IpNetwork>& allowed) {
  return refuse_outbound(url, addresses_of(resolve_host(url)), allowed);
}

elasticsearch::EsConnection guarded_connection(const AnalyticsSettings& settings, const std::vector<IpNetwork>& allowed) {
  auto connection = elasticsearch::connection_for(settings);
  if (auto refused = refused_cluster_url(connection.base_url, allowed)) throw InvalidArgument(*refused);
  // Every later request connects only to addresses checked within the last minute.
  connection.address_pin = [url = connection.base_url, allowed] {
    const auto resolved = resolve_host(url);
    if (auto refused = refuse_outbound(url, addresses_of(resolved), allowed)) throw InvalidArgument(*refused);
    return pin_for(url, resolved);
  };
  return connection;
}

ResultsBackend backend_for(const AnalyticsSettings& settings, const ResultsBackend& embedded,
                           const std::vector<IpNetwork>& allowed) {
  if (!settings.configured) return embedded;
  ResultsBackend b;
  b.name = "elasticsearch";
  try {
    auto connection = guarded_connection(settings, allowed);
    connection.timeout = elasticsearch_timeout();
    auto transport = std::make_shared<elasticsearch::CurlTransport>(std::move(connection));
    elasticsearch::ResultIndices indices{settings.index_pattern, settings.write_index_prefix, settings.write_index_rollover};
    if (indices.read_pattern.empty()) indices.read_pattern = "achilles-results-*";
    b.acceptances = std::make_shared<elasticsearch::ElasticsearchRiskAcceptances>(transport);
    b.elasticsearch = std::make_shared<elasticsearch::ElasticsearchResultsIndex>(std::move(transport), std::move(indices));
    b.index = b.elasticsearch;
    b.archive = b.elasticsearch;
  } catch (const InvalidArgument& e) {
    b.problem = std::string("Elasticsearch settings cannot be used: ") + e.what();
  }
  return b;
}

}  // namespace achilles::server
