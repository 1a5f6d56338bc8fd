#include "query/query.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "util/time_format.h"

namespace bookbridge::hub::query {

struct Node {
  enum class Kind { compare, all, any } kind = Kind::compare;
  std::vector<std::string> path;  // compare: property split at dots
  Op op = Op::eq;
  std::string value;
  std::vector<std::unique_ptr<Node>> children;  // all (&&) / any (||)
};

namespace {

ApiError malformed(const std::string& why) {
  return bad_request("Error parsing query - " + why, kMalformedQueryCode);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<double> to_number(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  double value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

template <class T>
bool ordered(const T& a, Op op, const T& b) {
  switch (op) {
    case Op::eq:
      return a == b;
    case Op::ne:
      return a != b;
    case Op::gt:
      return a > b;
    case Op::lt:
      return a < b;
    case Op::ge:
      return a >= b;
    case Op::le:
      return a <= b;
    case Op::contains:
      return false;
  }
  return false;
}

class Parser {
 public:
  Parser(std::string_view text, const std::function<bool(std::string_view)>& known,
         std::string_view entity)
      : text_(text), known_(known), entity_(entity) {}

  Result<std::unique_ptr<Node>> parse() {
    auto node = parse_or();
    if (!node) {
      return node.error();
    }
    skip_space();
    if (pos_ != text_.size()) {
      return malformed("unexpected '" + std::string(1, text_[pos_]) + "' at position " +
                       std::to_string(pos_ + 1));
    }
    return node;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && text_[pos_] == ' ') {
      ++pos_;
    }
  }
  bool take(std::string_view token) {
    skip_space();
    if (text_.substr(pos_, token.size()) == token) {
      pos_ += token.size();
      return true;
    }
    return false;
  }

  Result<std::unique_ptr<Node>> combine(Node::Kind kind, std::string_view token,
                                        Result<std::unique_ptr<Node>> (Parser::*next)()) {
    auto first = (this->*next)();
    if (!first) {
      return first;
    }
    if (!take(token)) {
      return first;
    }
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->children.push_back(std::move(*first));
    do {
      auto more = (this->*next)();
      if (!more) {
        return more;
      }
      node->children.push_back(std::move(*more));
    } while (take(token));
    return node;
  }

  Result<std::unique_ptr<Node>> parse_or() {
    return combine(Node::Kind::any, "||", &Parser::parse_and);
  }
  Result<std::unique_ptr<Node>> parse_and() {
    return combine(Node::Kind::all, "&&", &Parser::parse_primary);
  }

  Result<std::unique_ptr<Node>> parse_primary() {
    if (++depth_ > 32) {
      return malformed("groups nest too deeply");
    }
    if (take("{")) {
      auto inner = parse_or();
      if (!inner) {
        return inner;
      }
      if (!take("}")) {
        return malformed("missing '}' at position " + std::to_string(pos_ + 1));
      }
      --depth_;
      return inner;
    }
    --depth_;
    return parse_comparison();
  }

  Result<std::unique_ptr<Node>> parse_comparison() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   text_[pos_] == '_' || text_[pos_] == '.')) {
      ++pos_;
    }
    const std::string property(text_.substr(start, pos_ - start));
    if (property.empty()) {
      return malformed(pos_ < text_.size()
                           ? "expected a property name at position " + std::to_string(pos_ + 1)
                           : "expected a property name at the end");
    }
    if (property.front() == '.' || property.back() == '.' ||
        property.find("..") != std::string::npos) {
      return malformed("invalid property name '" + property + "'");
    }
    if (known_ && !known_(property)) {
      return malformed("Could not resolve property " + property +
                       (entity_.empty() ? std::string() : " on " + std::string(entity_)));
    }
    auto node = std::make_unique<Node>();
    for (std::size_t from = 0;;) {
      auto dot = property.find('.', from);
      node->path.push_back(property.substr(from, dot - from));
      if (dot == std::string::npos) {
        break;
      }
      from = dot + 1;
    }
    skip_space();
    static constexpr std::pair<std::string_view, Op> kOps[] = {
        {"!=", Op::ne},      {">=", Op::ge}, {"<=", Op::le}, {"=", Op::eq},
        {"~", Op::contains}, {">", Op::gt},  {"<", Op::lt}};
    bool found = false;
    for (const auto& [token, op] : kOps) {
      if (text_.substr(pos_, token.size()) == token) {
        node->op = op;
        pos_ += token.size();
        found = true;
        break;
      }
    }
    if (!found) {
      return malformed("expected an operator (=, !=, ~, >, <, >=, <=) after " + property);
    }
    if (pos_ < text_.size() && (text_[pos_] == '=' || text_[pos_] == '<' || text_[pos_] == '>')) {
      return malformed("unexpected '" + std::string(1, text_[pos_]) + "' after the operator of " +
                       property);
    }
    const std::size_t value_start = pos_;
    while (pos_ < text_.size() && text_.substr(pos_, 2) != "&&" && text_.substr(pos_, 2) != "||" &&
           text_[pos_] != '}') {
      ++pos_;
    }
    std::string_view value = text_.substr(value_start, pos_ - value_start);
    while (!value.empty() && value.back() == ' ') {
      value.remove_suffix(1);
    }
    while (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (value.empty()) {
      return malformed("missing value for " + property);
    }
    node->value = std::string(value);
    return node;
  }

  std::string_view text_;
  const std::function<bool(std::string_view)>& known_;
  std::string_view entity_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

template <class J>
bool compare_value(const J& value, Op op, std::string_view text);

template <class J>
bool evaluate(const Node& node, const J& object) {
  switch (node.kind) {
    case Node::Kind::all:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](const auto& child) { return evaluate(*child, object); });
    case Node::Kind::any:
      return std::any_of(node.children.begin(), node.children.end(),
                         [&](const auto& child) { return evaluate(*child, object); });
    case Node::Kind::compare:
      break;
  }
  const J* current = &object;
  for (const auto& segment : node.path) {
    if (!current->is_object()) {
      current = nullptr;
      break;
    }
    auto it = current->find(segment);
    if (it == current->end()) {
      current = nullptr;
      break;
    }
    current = &*it;
  }
  if (current == nullptr) {
    return node.op == Op::ne;  // a missing property differs from every value
  }
  return compare_value(*current, node.op, node.value);
}

template <class J>
bool compare_value(const J& value, Op op, std::string_view text) {
  if (value.is_null()) {
    return op == Op::ne;
  }
  if (value.is_boolean()) {
    const auto wanted = lower(text);
    if ((wanted != "true" && wanted != "false") || (op != Op::eq && op != Op::ne)) {
      return false;
    }
    return ordered(value.template get<bool>(), op, wanted == "true");
  }
  if (value.is_number()) {
    const auto wanted = to_number(text);
    if (!wanted || op == Op::contains) {
      return op == Op::ne && !wanted;
    }
    return ordered(value.template get<double>(), op, *wanted);
  }
  if (!value.is_string()) {
    return false;  // no querying inside objects or arrays
  }
  const auto& actual = value.template get_ref<const std::string&>();
  if (op == Op::contains) {
    return lower(actual).find(lower(text)) != std::string::npos;
  }
  if (op == Op::eq || op == Op::ne) {
    return ordered(lower(actual), op, lower(text));
  }
  const auto a_time = parse_iso(actual);
  const auto b_time = parse_iso(text);
  if (a_time && b_time) {
    return ordered(*a_time, op, *b_time);
  }
  const auto a_number = to_number(actual);
  const auto b_number = to_number(text);
  if (a_number && b_number) {
    return ordered(*a_number, op, *b_number);
  }
  return ordered(std::string_view(actual), op, text);
}

}  // namespace

bool compare(const nlohmann::json& value, Op op, std::string_view text) {
  return compare_value(value, op, text);
}

Query::Query(std::unique_ptr<Node> root) : root_(std::move(root)) {}
Query::Query(Query&&) noexcept = default;
Query& Query::operator=(Query&&) noexcept = default;
Query::~Query() = default;

Result<Query> Query::parse(std::string_view text,
                           const std::function<bool(std::string_view)>& known_property,
                           std::string_view entity) {
  if (text.size() >= kMaxQueryLength) {
    return malformed("the query must be shorter than " + std::to_string(kMaxQueryLength) +
                     " characters");
  }
  if (text.find_first_not_of(' ') == std::string_view::npos) {
    return malformed("the query is empty");
  }
  Parser parser(text, known_property, entity);
  auto root = parser.parse();
  if (!root) {
    return root.error();
  }
  return Query(std::move(*root));
}

bool Query::matches(const nlohmann::json& object) const {
  return evaluate(*root_, object);
}

bool Query::matches(const nlohmann::ordered_json& object) const {
  return evaluate(*root_, object);
}

}  // namespace bookbridge::hub::query
