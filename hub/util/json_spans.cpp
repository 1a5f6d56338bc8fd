#include "util/json_spans.h"

namespace bookbridge::hub {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool at(char c) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool take(char c) {
    if (at(c)) {
      ++pos_;
      return true;
    }
    return false;
  }
  // Returns the raw string contents (escapes not decoded) and moves past it.
  std::optional<std::string_view> string() {
    if (!take('"')) {
      return std::nullopt;
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      pos_ += text_[pos_] == '\\' ? 2 : 1;
    }
    if (pos_ >= text_.size()) {
      return std::nullopt;
    }
    return text_.substr(start, pos_++ - start);
  }
  // Skips any value; returns its span.
  std::optional<Span> value() {
    skip_space();
    const std::size_t start = pos_;
    if (pos_ >= text_.size()) {
      return std::nullopt;
    }
    if (text_[pos_] == '"') {
      if (!string()) {
        return std::nullopt;
      }
    } else if (text_[pos_] == '{' || text_[pos_] == '[') {
      int depth = 0;
      while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == '"') {
          if (!string()) {
            return std::nullopt;
          }
          continue;
        }
        ++pos_;
        if (c == '{' || c == '[') {
          ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          break;
        }
      }
      if (depth != 0) {
        return std::nullopt;
      }
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
             text_[pos_] != ']' && text_[pos_] != ' ' && text_[pos_] != '\n' &&
             text_[pos_] != '\r' && text_[pos_] != '\t') {
        ++pos_;
      }
    }
    return Span{start, pos_};
  }
  std::size_t pos() const { return pos_; }
  void set_pos(std::size_t pos) { pos_ = pos; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<ArrayMember> find_array_member(std::string_view document, std::string_view key) {
  Scanner s(document);
  if (!s.take('{')) {
    return std::nullopt;
  }
  while (!s.at('}')) {
    auto name = s.string();
    if (!name || !s.take(':')) {
      return std::nullopt;
    }
    if (*name == key && s.at('[')) {
      ArrayMember member;
      member.array.begin = s.pos();
      s.take('[');
      while (!s.at(']')) {
        auto element = s.value();
        if (!element) {
          return std::nullopt;
        }
        member.elements.push_back(*element);
        if (!s.take(',') && !s.at(']')) {
          return std::nullopt;
        }
      }
      s.take(']');
      member.array.end = s.pos();
      return member;
    }
    if (!s.value()) {
      return std::nullopt;
    }
    if (!s.take(',') && !s.at('}')) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace bookbridge::hub
