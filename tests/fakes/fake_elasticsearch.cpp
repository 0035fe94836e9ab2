// The HTTP side of the fake: a blocking Beast server, one thread per
// connection, recording requests and applying scripted misbehaviour.
#include "fakes/fake_elasticsearch.hpp"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "fakes/fake_es_cluster.hpp"

namespace achilles::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
namespace internal = fake_elasticsearch_internal;

namespace {

struct Script {
  std::string method;
  std::string target_part;
  bool drop = false;
  int status = 200;
  std::string body;
  std::chrono::milliseconds delay{};
};

struct Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)) {}
  tcp::socket socket;
  std::thread thread;
  bool closed = false;  // guarded by State::mutex
  std::atomic<bool> done{false};
};

std::string security_body(const std::string& reason) {
  const boost::json::object cause{
      {"type", "security_exception"},
      {"reason", reason},
      {"header", boost::json::object{{"WWW-Authenticate", boost::json::array{"Basic realm=\"security\", charset=\"UTF-8\"",
                                                                              "Bearer realm=\"security\"", "ApiKey"}}}}};
  boost::json::object error = cause;
  error["root_cause"] = boost::json::array{cause};
  return boost::json::serialize(boost::json::object{{"error", std::move(error)}, {"status", 401}});
}

}  // namespace

struct FakeElasticsearch::State {
  internal::Cluster cluster;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  unsigned short port = 0;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;
  std::condition_variable wake;
  std::vector<Request> requests;
  std::deque<Script> scripts;
  std::optional<std::string> authorization;
  std::vector<std::shared_ptr<Connection>> connections;
  std::thread acceptor_thread;

  void accept_loop();
  void serve(Connection& c);
  std::optional<Script> take_script(const std::string& method, const std::string& target);
  void close(Connection& c);
};

void FakeElasticsearch::State::close(Connection& c) {
  std::lock_guard lock(mutex);
  if (c.closed) return;
  c.closed = true;
  boost::system::error_code ec;
  c.socket.shutdown(tcp::socket::shutdown_both, ec);
  c.socket.close(ec);
}

std::optional<Script> FakeElasticsearch::State::take_script(const std::string& method, const std::string& target) {
  std::lock_guard lock(mutex);
  for (auto it = scripts.begin(); it != scripts.end(); ++it) {
    if (it->method == method && target.find(it->target_part) != std::string::npos) {
      Script s = std::move(*it);
      scripts.erase(it);
      return s;
    }
  }
  return std::nullopt;
}

void FakeElasticsearch::State::accept_loop() {
  while (!stopping) {
    tcp::socket socket(io);
    boost::system::error_code ec;
    acceptor.accept(socket, ec);
    if (stopping) break;
    if (ec) continue;
    auto c = std::make_shared<Connection>(std::move(socket));
    std::lock_guard lock(mutex);
    // Finished connections are joined here so long test runs do not pile up threads.
    std::erase_if(connections, [](const std::shared_ptr<Connection>& old) {
      if (!old->done) return false;
      old->thread.join();
      return true;
    });
    connections.push_back(c);
    c->thread = std::thread([this, c] {
      serve(*c);
      close(*c);
      c->done = true;
    });
  }
}

void FakeElasticsearch::State::serve(Connection& c) {
  beast::flat_buffer buffer;
  while (!stopping) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(1024ull * 1024 * 1024);
    boost::system::error_code ec;
    http::read(c.socket, buffer, parser, ec);
    if (ec) return;
    const auto& req = parser.get();
    Request r{std::string(req.method_string()), std::string(req.target()), req.body(), {}};
    for (const auto& f : req) r.headers[internal::to_lower(f.name_string())] = std::string(f.value());
    {
      std::lock_guard lock(mutex);
      requests.push_back(r);
    }

    int status = 200;
    std::string body;
    std::optional<Script> script = take_script(r.method, r.target);
    if (script && script->drop) return;
    if (script) {
      std::unique_lock lock(mutex);
      wake.wait_for(lock, script->delay, [this] { return stopping.load(); });
      status = script->status;
      body = script->body;
    } else if (const auto expected = [&] { std::lock_guard lock(mutex); return authorization; }();
               expected && (!r.headers.contains("authorization") || r.headers["authorization"] != *expected)) {
      status = 401;
      body = security_body(r.headers.contains("authorization")
                               ? "unable to authenticate with provided credentials and anonymous access is not allowed for this request"
                               : "missing authentication credentials for REST request [" + r.target + "]");
    } else {
      auto answer = cluster.handle(r.method, r.target, r.body);
      status = answer.status;
      body = std::move(answer.body);
    }

    http::response<http::string_body> res;
    res.version(req.version());
    res.result(static_cast<unsigned>(status));
    res.set(http::field::content_type, "application/json");
    res.set("X-elastic-product", "Elasticsearch");
    if (status == 401) res.set(http::field::www_authenticate, "Basic realm=\"security\", charset=\"UTF-8\"");
    res.keep_alive(req.keep_alive());
    if (req.method() != http::verb::head) res.body() = std::move(body);
    res.prepare_payload();
    http::write(c.socket, res, ec);
    if (ec || !req.keep_alive()) return;
  }
}

FakeElasticsearch::FakeElasticsearch() : state_(std::make_unique<State>()) {
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  state_->port = state_->acceptor.local_endpoint().port();
  state_->acceptor_thread = std::thread([s = state_.get()] { s->accept_loop(); });
}

FakeElasticsearch::~FakeElasticsearch() {
  state_->stopping = true;
  state_->wake.notify_all();
  {
    // A connection of our own wakes the blocking accept().
    boost::system::error_code ec;
    tcp::socket poke(state_->io);
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), state_->port), ec);
  }
  state_->acceptor_thread.join();
  std::vector<std::shared_ptr<Connection>> connections;
  {
    std::lock_guard lock(state_->mutex);
    connections = state_->connections;
    for (auto& c : connections) {
      // Unblocks a read in progress; the connection's thread closes the socket.
      if (!c->closed) ::shutdown(c->socket.native_handle(), SHUT_RDWR);
    }
  }
  for (auto& c : connections) c->thread.join();
}

std::string FakeElasticsearch::url() const { return "http://127.0.0.1:" + std::to_string(state_->port); }
unsigned short FakeElasticsearch::port() const { return state_->port; }

std::vector<FakeElasticsearch::Request> FakeElasticsearch::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

void FakeElasticsearch::clear_requests() {
  std::lock_guard lock(state_->mutex);
  state_->requests.clear();
}

void FakeElasticsearch::answer_next(std::string method, std::string target_part, int status, std::string body,
                                    std::chrono::milliseconds delay) {
  std::lock_guard lock(state_->mutex);
  state_->scripts.push_back({std::move(method), std::move(target_part), false, status, std::move(body), delay});
}

void FakeElasticsearch::drop_next(std::string method, std::string target_part) {
  std::lock_guard lock(state_->mutex);
  state_->scripts.push_back({std::move(method), std::move(target_part), true, 0, {}, {}});
}

void FakeElasticsearch::require_authorization(std::string header_value) {
  std::lock_guard lock(state_->mutex);
  state_->authorization = std::move(header_value);
}

void FakeElasticsearch::total_as_number(bool on) { state_->cluster.total_as_number(on); }
void FakeElasticsearch::max_buckets(std::size_t limit) { state_->cluster.max_buckets(limit); }

std::size_t FakeElasticsearch::document_count(const std::string& index) const { return state_->cluster.document_count(index); }

}  // namespace achilles::testing
