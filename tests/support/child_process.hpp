#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace achilles::testing {

// A background process whose stdout (merged with stderr) is read line by line.
class ChildProcess {
public:
  ChildProcess(std::vector<std::string> argv, std::vector<std::string> env = {}) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~ChildProcess() {
    stop(SIGKILL);
    ::close(out_);
  }

  // Reads until a line containing `needle` (returned), or "" at end of output.
  std::string wait_for_line(const std::string& needle) {
    std::string line;
    char c;
    while (::read(out_, &c, 1) == 1) {
      if (c != '\n') {
        line += c;
        continue;
      }
      output_ += line + "\n";
      if (line.find(needle) != std::string::npos) return line;
      line.clear();
    }
    return "";
  }
  const std::string& output() const { return output_; }

  int stop(int signal = SIGTERM) {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

private:
  pid_t pid_ = -1;
  int out_ = -1;
  int exit_code_ = -1;
  std::string output_;
};

}  // namespace achilles::testing
