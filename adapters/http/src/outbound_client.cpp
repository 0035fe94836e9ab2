#include "achilles/http/outbound_client.hpp"

#include "achilles/metrics/process_metrics.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <mutex>

namespace achilles::http {
namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

std::optional<IpAddress> address_of(const sockaddr* a) {
  char text[INET6_ADDRSTRLEN] = {};
  if (a->sa_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, text, sizeof text);
  } else if (a->sa_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr, text, sizeof text);
  } else {
    return std::nullopt;
  }
  return IpAddress::parse(text);
}

// One exchange's state, seen by the callbacks.
struct Exchange {
  const OutboundPolicy* policy;
  std::size_t max_bytes;
  std::string body;
  bool too_large = false;
  std::optional<std::string> refused;  // why a connection was not opened
  const std::atomic<bool>* aborted = nullptr;
};

// libcurl asks often while a transfer runs: a non-zero answer ends it.
int abort_when_asked(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Exchange*>(data)->aborted->load() ? 1 : 0;
}

// Every socket libcurl opens goes through here, with the address it is about
// to connect to: the policy is checked on that address, after DNS.
curl_socket_t open_checked_socket(void* data, curlsocktype purpose, curl_sockaddr* address) {
  auto* exchange = static_cast<Exchange*>(data);
  if (purpose != CURLSOCKTYPE_IPCXN) {
    exchange->refused = "not a plain connection";
    return CURL_SOCKET_BAD;
  }
  const auto ip = address_of(&address->addr);
  if (!ip) {
    exchange->refused = "not an IP address";
    return CURL_SOCKET_BAD;
  }
  if (auto refusal = exchange->policy->refusal(*ip)) {
    exchange->refused = *refusal;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  auto* exchange = static_cast<Exchange*>(out);
  const std::size_t n = size * count;
  if (exchange->body.size() + n > exchange->max_bytes) {
    exchange->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  exchange->body.append(data, n);
  return n;
}

// Failures before any byte of an answer: the request did not reach a live
// connection, so sending it again cannot act twice.
bool failed_before_answer(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_SEND_ERROR || code == CURLE_GOT_NOTHING ||
         code == CURLE_RECV_ERROR;
}

}  // namespace

struct OutboundClient::Pool {
  std::mutex mutex;
  std::vector<CURL*> idle;

  CURL* take() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    static GlobalInit init;
    CURL* h = curl_easy_init();
    if (!h) throw OutboundFailure(OutboundFailure::Kind::Unreachable, "cannot create an HTTP client");
    return h;
  }
  void give_back(CURL* h) {
    std::lock_guard lock(mutex);
    idle.push_back(h);
  }
  ~Pool() {
    for (CURL* h : idle) curl_easy_cleanup(h);
  }
};

OutboundClient::OutboundClient(OutboundPolicy policy, OutboundLimits limits, TlsOptions tls, std::string upstream)
    : upstream_(std::move(upstream)),
      policy_(std::move(policy)),
      limits_(limits),
      tls_(std::move(tls)),
      pool_(std::make_unique<Pool>()) {}

OutboundClient::~OutboundClient() = default;

std::optional<std::string> OutboundClient::refusal(std::string_view url) const {
  if (auto refused = policy_.refusal(url)) return refused;
  const auto host = OutboundUrl::parse(url)->host;
  if (IpAddress::parse_host(host)) return std::nullopt;  // a literal: judged above
  const auto addresses = resolve_host(host, limits_.connect_timeout);
  if (addresses.empty()) return "Host did not resolve: " + host;
  for (const auto& a : addresses)
    if (auto refused = policy_.refusal(a)) return refused;
  return std::nullopt;
}

OutboundResponse OutboundClient::send(const OutboundRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  const auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  auto& metrics = metrics::ProcessMetrics::process();
  try {
    OutboundResponse response = exchange(request);
    const char* status_class = response.status >= 500 ? "5xx" : response.status >= 400 ? "4xx"
                               : response.status >= 300                                ? "3xx"
                                                                                      : "2xx";
    metrics.upstream_call(upstream_, status_class, seconds());
    return response;
  } catch (const OutboundFailure& failure) {
    const char* outcome = "unreachable";
    switch (failure.kind()) {
      case OutboundFailure::Kind::Refused: outcome = "refused"; break;
      case OutboundFailure::Kind::Unreachable: outcome = "unreachable"; break;
      case OutboundFailure::Kind::TimedOut: outcome = "timed_out"; break;
      case OutboundFailure::Kind::TooLarge: outcome = "too_large"; break;
    }
    metrics.upstream_call(upstream_, outcome, seconds());
    throw;
  }
}

OutboundResponse OutboundClient::exchange(const OutboundRequest& request) const {
  const auto parsed = OutboundUrl::parse(request.url);
  const std::string host = parsed ? parsed->host : std::string("?");
  if (auto refused = policy_.refusal(request.url))
    throw OutboundFailure(OutboundFailure::Kind::Refused, "connection to " + host + " refused: " + *refused);

  CURL* h = pool_->take();
  struct Return {
    Pool& pool;
    CURL* h;
    ~Return() { pool.give_back(h); }
  } give_back{*pool_, h};

  for (int attempt = 0;; ++attempt) {
    curl_easy_reset(h);  // keeps the handle's live connections, drops the options
    if (aborted_) throw OutboundFailure(OutboundFailure::Kind::Unreachable, "the server is stopping");
    Exchange exchange{&policy_, limits_.max_response_bytes, {}, false, std::nullopt, &aborted_};
    curl_slist* headers = nullptr;
    for (const auto& header : request.headers) headers = curl_slist_append(headers, header.c_str());
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &exchange);
    curl_easy_setopt(h, CURLOPT_PROXY, "");  // never a proxy from http_proxy / https_proxy / all_proxy
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits_.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(limits_.total_timeout.count()));
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits_.max_response_bytes));
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, abort_when_asked);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &exchange);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange);
    if (request.method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      if (!request.body.empty() || request.method != "GET") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      }
    }
    if (tls_.skip_verify) {
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (!tls_.ca_pem.empty()) {
      curl_blob blob{const_cast<char*>(tls_.ca_pem.data()), tls_.ca_pem.size(), CURL_BLOB_COPY};
      curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    }
    const CURLcode code = curl_easy_perform(h);
    curl_slist_free_all(headers);
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      OutboundResponse response{static_cast<int>(status), std::move(exchange.body), std::nullopt};
      curl_header* retry_after = nullptr;
      if (curl_easy_header(h, "Retry-After", 0, CURLH_HEADER, -1, &retry_after) == CURLHE_OK && retry_after)
        response.retry_after = std::string(retry_after->value);
      return response;
    }
    if (exchange.refused)
      throw OutboundFailure(OutboundFailure::Kind::Refused, "connection to " + host + " refused: " + *exchange.refused);
    if (exchange.too_large || code == CURLE_FILESIZE_EXCEEDED)
      throw OutboundFailure(OutboundFailure::Kind::TooLarge, host + " sent an answer larger than " +
                                                                 std::to_string(limits_.max_response_bytes) + " bytes");
    if (code == CURLE_ABORTED_BY_CALLBACK && aborted_)
      throw OutboundFailure(OutboundFailure::Kind::Unreachable, "the server is stopping");
    if (attempt == 0 && request.may_repeat && failed_before_answer(code)) continue;
    if (code == CURLE_OPERATION_TIMEDOUT)
      throw OutboundFailure(OutboundFailure::Kind::TimedOut,
                            host + " did not answer within " + std::to_string(limits_.total_timeout.count()) + " ms");
    throw OutboundFailure(OutboundFailure::Kind::Unreachable, host + " is unreachable: " + curl_easy_strerror(code));
  }
}

}  // namespace achilles::http
