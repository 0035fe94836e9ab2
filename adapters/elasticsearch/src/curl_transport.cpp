#include "achilles/elasticsearch/curl_transport.hpp"

#include <curl/curl.h>

#include <iostream>
#include <mutex>
#include <vector>

#include "achilles/errors.hpp"

namespace achilles::elasticsearch {
namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

void warn_once_skip_verify() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::clog << R"js({"level":"warn","component":"elasticsearch","message":"TLS certificate validation is DISABLED for the Elasticsearch connection (tlsInsecureSkipVerify)"})js"
              << '\n';
  });
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// Failures before any byte of an answer: the request did not reach a live
// connection, so sending it again cannot act twice.
bool failed_before_answer(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_SEND_ERROR || code == CURLE_GOT_NOTHING ||
         code == CURLE_RECV_ERROR;
}

}  // namespace

struct CurlTransport::Pool {
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
    if (!h) throw BackendUnavailable("Elasticsearch: cannot create an HTTP client");
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

CurlTransport::CurlTransport(EsConnection connection) : connection_(std::move(connection)), pool_(std::make_unique<Pool>()) {
  if (connection_.skip_verify) warn_once_skip_verify();
}

CurlTransport::~CurlTransport() = default;

std::string CurlTransport::current_pin() {
  if (!connection_.address_pin) return {};
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(pin_mutex_);
    if (pinned_at_ && now - *pinned_at_ < std::chrono::minutes(1)) return pin_;
  }
  std::string fresh;
  try {  // resolving outside the lock: a slow resolver must not queue every request
    fresh = connection_.address_pin();
  } catch (const InvalidArgument& e) {
    throw BackendUnavailable("Elasticsearch at " + connection_.base_url + " may not be contacted now: " + e.what());
  }
  std::lock_guard lock(pin_mutex_);
  pin_ = fresh;
  pinned_at_ = now;
  return pin_;
}

EsReply CurlTransport::send(std::string_view method, std::string_view target, std::string_view body, Idempotent idempotent,
                            std::string_view content_type) {
  CURL* h = pool_->take();
  struct Return {
    Pool& pool;
    CURL* h;
    ~Return() { pool.give_back(h); }
  } give_back{*pool_, h};

  const std::string url = connection_.base_url + std::string(target);
  const std::string method_text(method);
  const std::string type_header = "Content-Type: " + std::string(content_type);
  const std::string auth_header = "Authorization: " + connection_.authorization;

  for (int attempt = 0;; ++attempt) {
    // reset keeps the handle's live connections and caches, drops the options
    curl_easy_reset(h);
    curl_slist* headers = nullptr;
    const std::string pin = current_pin();
    curl_slist* pinned = pin.empty() ? nullptr : curl_slist_append(nullptr, pin.c_str());
    headers = curl_slist_append(headers, type_header.c_str());
    headers = curl_slist_append(headers, "Accept: application/json");
    if (!connection_.authorization.empty()) headers = curl_slist_append(headers, auth_header.c_str());
    EsReply reply;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (pinned) curl_easy_setopt(h, CURLOPT_RESOLVE, pinned);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connection_.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(connection_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (method_text == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method_text.c_str());
      if (!body.empty() || method_text != "GET") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      }
    }
    if (connection_.skip_verify) {
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (!connection_.ca_cert_pem.empty()) {
      curl_blob blob{const_cast<char*>(connection_.ca_cert_pem.data()), connection_.ca_cert_pem.size(), CURL_BLOB_COPY};
      curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    }
    const CURLcode code = curl_easy_perform(h);
    curl_slist_free_all(headers);
    curl_slist_free_all(pinned);
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      reply.status = static_cast<int>(status);
      return reply;
    }
    if (attempt == 0 && idempotent == Idempotent::Yes && failed_before_answer(code)) continue;
    if (code == CURLE_OPERATION_TIMEDOUT)
      throw BackendUnavailable("Elasticsearch did not answer within " + std::to_string(connection_.timeout.count()) +
                               " ms (" + connection_.base_url + ")");
    throw BackendUnavailable("Elasticsearch is unreachable at " + connection_.base_url + ": " + curl_easy_strerror(code));
  }
}

}  // namespace achilles::elasticsearch
