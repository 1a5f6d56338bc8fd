#include "transport/http_types.h"

#include <algorithm>
#include <cctype>

namespace bookbridge::transport {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return lower(x) < lower(y); });
}

std::optional<std::string> HttpRequest::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name)
      return value;
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::header(std::string_view name) const {
  auto it = headers.find(name);
  if (it == headers.end())
    return std::nullopt;
  return it->second;
}

HttpResponse HttpResponse::json(unsigned status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = "application/json";
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::no_content() {
  HttpResponse response;
  response.status = 204;
  return response;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0)
        return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  // A malformed escape keeps the raw text: a bad parameter is the handler's to reject, not ours.
  auto decode = [](std::string_view part) {
    auto decoded = percent_decode(part, true);
    return decoded ? std::move(*decoded) : std::string(part);
  };
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(decode(pair), std::string{});
    } else {
      out.emplace_back(decode(pair.substr(0, eq)), decode(pair.substr(eq + 1)));
    }
  }
  return out;
}

}  // namespace bookbridge::transport
