#include <netdb.h>
#include <sys/socket.h>

#include <future>
#include <memory>
#include <thread>

#include "achilles/http/outbound_client.hpp"

namespace achilles::http {

std::vector<IpAddress> resolve_host(const std::string& host, std::chrono::milliseconds deadline) {
  // getaddrinfo has no timeout of its own: it runs on a thread of its own,
  // and a resolver that hangs past the deadline is left to finish alone.
  auto lookup = std::make_shared<std::packaged_task<std::vector<IpAddress>()>>([host] {
    std::vector<IpAddress> out;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return out;
    for (addrinfo* a = found; a; a = a->ai_next) {
      char text[NI_MAXHOST];
      if (::getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) == 0)
        if (auto ip = IpAddress::parse(text)) out.push_back(*ip);
    }
    ::freeaddrinfo(found);
    return out;
  });
  auto answer = lookup->get_future();
  std::thread([lookup] { (*lookup)(); }).detach();
  if (answer.wait_for(deadline) != std::future_status::ready) return {};
  return answer.get();
}

}  // namespace achilles::http
