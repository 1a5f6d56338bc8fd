#include "config/json_locator.h"

#include <set>

namespace bookbridge::agent::config {
namespace {

constexpr int kMaxDepth = 256;

class Walker {
 public:
  Walker(std::string_view text, std::map<std::string, int, std::less<>>& lines,
         std::vector<std::pair<std::string, int>>& duplicates)
      : text_(text), lines_(lines), duplicates_(duplicates) {}

  void run() {
    skip_space();
    lines_[""] = line_;
    value("", 0);
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void skip_space() {
    while (!at_end()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (!at_end() && text_[pos_] != '\n') {
          ++pos_;
        }
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        pos_ += 2;
        while (!at_end() &&
               !(text_[pos_] == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/')) {
          line_ += text_[pos_] == '\n' ? 1 : 0;
          ++pos_;
        }
        pos_ = std::min(pos_ + 2, text_.size());
      } else {
        return;
      }
    }
  }

  // Keys are compared as written; escapes other than \" and \\ are kept verbatim, which only
  // matters for keys the agent does not know anyway.
  std::string string_token() {
    std::string out;
    ++pos_;  // opening quote
    while (!at_end() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        char next = text_[pos_ + 1];
        if (next == '"' || next == '\\' || next == '/') {
          out += next;
        } else {
          out += text_.substr(pos_, 2);
        }
        pos_ += 2;
      } else {
        out += text_[pos_++];
      }
    }
    ++pos_;  // closing quote
    return out;
  }

  void value(const std::string& path, int depth) {
    skip_space();
    if (at_end() || depth > kMaxDepth) {
      return;
    }
    char c = peek();
    if (c == '{') {
      object(path, depth);
    } else if (c == '[') {
      array(path, depth);
    } else if (c == '"') {
      string_token();
    } else {
      while (!at_end() && std::string_view(",]} \t\r\n/").find(peek()) == std::string_view::npos) {
        ++pos_;
      }
    }
  }

  void object(const std::string& path, int depth) {
    ++pos_;
    std::set<std::string> seen;
    while (true) {
      skip_space();
      if (at_end()) {
        return;
      }
      if (peek() == '}') {
        ++pos_;
        return;
      }
      if (peek() != '"') {
        pos_ = text_.size();  // not valid JSON: give up quietly
        return;
      }
      int key_line = line_;
      std::string key = string_token();
      std::string child = path.empty() ? key : path + "." + key;
      if (!seen.insert(key).second) {
        duplicates_.emplace_back(child, key_line);
      }
      lines_[child] = key_line;  // the last occurrence wins, as in nlohmann::json
      skip_space();
      if (peek() == ':') {
        ++pos_;
      }
      value(child, depth + 1);
      skip_space();
      if (peek() == ',') {
        ++pos_;
      }
    }
  }

  void array(const std::string& path, int depth) {
    ++pos_;
    for (int index = 0;; ++index) {
      skip_space();
      if (at_end()) {
        return;
      }
      if (peek() == ']') {
        ++pos_;
        return;
      }
      std::string child = path + "[" + std::to_string(index) + "]";
      lines_[child] = line_;
      std::size_t before = pos_;
      value(child, depth + 1);
      skip_space();
      if (peek() == ',') {
        ++pos_;
      } else if (pos_ == before) {
        pos_ = text_.size();
        return;
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::map<std::string, int, std::less<>>& lines_;
  std::vector<std::pair<std::string, int>>& duplicates_;
};

}  // namespace

JsonLocator::JsonLocator(std::string_view text) {
  Walker(text, lines_, duplicates_).run();
}

int JsonLocator::line_of(std::string_view path) const {
  std::string current(path);
  while (true) {
    if (auto it = lines_.find(current); it != lines_.end()) {
      return it->second;
    }
    if (current.empty()) {
      return 0;
    }
    current = parent_path(current);
  }
}

std::string parent_path(std::string_view path) {
  if (path.empty()) {
    return {};
  }
  if (path.back() == ']') {
    auto open = path.rfind('[');
    return std::string(path.substr(0, open == std::string_view::npos ? 0 : open));
  }
  auto dot = path.rfind('.');
  auto bracket = path.rfind(']');
  if (dot == std::string_view::npos || (bracket != std::string_view::npos && bracket > dot)) {
    return bracket != std::string_view::npos && bracket + 1 < path.size()
               ? std::string(path.substr(0, bracket + 1))
               : std::string();
  }
  return std::string(path.substr(0, dot));
}

}  // namespace bookbridge::agent::config
