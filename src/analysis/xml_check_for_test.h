// Test helper: a small well-formedness check of XML text (balanced tags, quoted attributes, valid
// entities, one root element). Not a full XML parser; enough to catch broken SVG output.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace juicer::test_util {

// Empty string when well-formed, else a description of the first problem.
inline std::string CheckXml(std::string_view s) {
  auto valid_entity = [&](size_t amp) -> bool {
    const size_t semi = s.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 10) return false;
    std::string_view name = s.substr(amp + 1, semi - amp - 1);
    if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos")
      return true;
    if (name.size() >= 2 && name[0] == '#') {
      for (size_t i = 1; i < name.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
      return true;
    }
    return false;
  };
  std::vector<std::string> stack;
  int roots = 0;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '&') {
      if (!valid_entity(i)) return "bad entity at " + std::to_string(i);
      ++i;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t')
      return "control character at " + std::to_string(i);
    if (c != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(c)))
        return "text outside the root at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s.substr(i, 4) == "<!--") {
      const size_t end = s.find("-->", i);
      if (end == std::string_view::npos) return "unterminated comment";
      i = end + 3;
      continue;
    }
    if (s.substr(i, 2) == "<?" || s.substr(i, 2) == "<!") {
      const size_t end = s.find('>', i);
      if (end == std::string_view::npos) return "unterminated declaration";
      i = end + 1;
      continue;
    }
    const bool closing = i + 1 < s.size() && s[i + 1] == '/';
    size_t j = i + (closing ? 2 : 1);
    const size_t name_start = j;
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '-' ||
                            s[j] == ':' || s[j] == '_' || s[j] == '.'))
      ++j;
    const std::string name(s.substr(name_start, j - name_start));
    if (name.empty()) return "tag without a name at " + std::to_string(i);
    bool self_closing = false;
    // Attributes: name="value" (or single quotes).
    while (true) {
      while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j]))) ++j;
      if (j >= s.size()) return "unterminated tag " + name;
      if (s[j] == '>') {
        ++j;
        break;
      }
      if (s[j] == '/' && j + 1 < s.size() && s[j + 1] == '>') {
        self_closing = true;
        j += 2;
        break;
      }
      if (closing) return "attribute in closing tag " + name;
      const size_t attr_start = j;
      while (j < s.size() && s[j] != '=' && !std::isspace(static_cast<unsigned char>(s[j])) &&
             s[j] != '>')
        ++j;
      if (j == attr_start || j >= s.size() || s[j] != '=')
        return "attribute without value in " + name + " at " + std::to_string(attr_start);
      ++j;
      if (j >= s.size() || (s[j] != '"' && s[j] != '\'')) return "unquoted attribute in " + name;
      const char q = s[j++];
      const size_t end = s.find(q, j);
      if (end == std::string_view::npos) return "unterminated attribute in " + name;
      for (size_t k = j; k < end; ++k) {
        if (s[k] == '<') return "'<' in attribute of " + name;
        if (s[k] == '&' && !valid_entity(k)) return "bad entity in attribute of " + name;
      }
      j = end + 1;
    }
    if (closing) {
      if (stack.empty() || stack.back() != name) return "unbalanced </" + name + ">";
      stack.pop_back();
    } else if (!self_closing) {
      if (stack.empty()) ++roots;
      stack.push_back(name);
    } else if (stack.empty()) {
      ++roots;
    }
    i = j;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (roots != 1) return "expected one root element, found " + std::to_string(roots);
  return "";
}

}  // namespace juicer::test_util
