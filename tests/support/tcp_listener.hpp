#pragma once
// A plain TCP listener on 127.0.0.1 that counts the connections it accepts
// and answers each with a canned HTTP exchange: what the outbound tests use
// to prove that a refused target was never connected to.
#include <boost/asio.hpp>

#include <sys/socket.h>

#include <atomic>
#include <mutex>
#include <vector>
#include <memory>
#include <chrono>
#include <string>
#include <thread>

namespace achilles::testing {

class TcpListener {
public:
  enum class Answer { SmallJson, Huge, Endless, Redirect };

  explicit TcpListener(Answer answer = Answer::SmallJson, std::string redirect_to = "")
      : state_(std::make_shared<State>(answer, std::move(redirect_to))),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept_next();
    thread_ = std::thread([this] { io_.run(); });
  }
  // Every responder is woken (its socket shut down) and joined before the
  // io_context its sockets belong to goes away.
  ~TcpListener() {
    state_->stopping = true;
    io_.stop();
    thread_.join();
    {
      std::lock_guard lock(state_->mutex);  // released before joining: a finishing responder takes it
      for (int fd : state_->open_sockets) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : responders_) t.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return state_->connections; }

private:
  // Shared with the responders, which may outlive the listener by a moment.
  struct State {
    State(Answer a, std::string to) : answer(a), redirect_to(std::move(to)) {}
    Answer answer;
    std::string redirect_to;
    std::atomic<int> connections{0};
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::vector<int> open_sockets;
  };

  void accept_next() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
      if (ec) return;
      ++state_->connections;
      {
        std::lock_guard lock(state_->mutex);
        state_->open_sockets.push_back(socket.native_handle());
      }
      responders_.emplace_back([state = state_, s = std::move(socket)]() mutable {
        respond(*state, s);
        // Closed under the lock, so the destructor never shuts down a number another socket reuses.
        std::lock_guard lock(state->mutex);
        std::erase(state->open_sockets, s.native_handle());
        boost::system::error_code ignored;
        s.close(ignored);
      });
      accept_next();
    });
  }
  static void respond(State& state, boost::asio::ip::tcp::socket& socket) {
    boost::system::error_code ec;
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      const auto n = socket.read_some(boost::asio::buffer(buffer), ec);
      if (ec) return;
      request.append(buffer, n);
    }
    switch (state.answer) {
      case Answer::SmallJson:
        write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        break;
      case Answer::Huge: {
        const std::size_t size = 4u << 20;
        write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(size) +
                          "\r\nConnection: close\r\n\r\n");
        write(socket, std::string(size, 'x'));
        break;
      }
      case Answer::Endless:
        // Chunked, so no length announces the end: a byte every 50 ms, for up to 30 s.
        write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 600 && !state.stopping; ++i) {
          if (!write(socket, "1\r\nx\r\n")) return;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        break;
      case Answer::Redirect:
        write(socket, "HTTP/1.1 302 Found\r\nLocation: " + state.redirect_to +
                          "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        break;
    }
  }
  static bool write(boost::asio::ip::tcp::socket& socket, const std::string& text) {
    boost::system::error_code ec;
    boost::asio::write(socket, boost::asio::buffer(text), ec);
    return !ec;
  }

  std::shared_ptr<State> state_;
  std::vector<std::thread> responders_;  // touched by the accept handler only, then joined
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace achilles::testing
