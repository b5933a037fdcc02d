// The corpus of real-world-shaped messages (tests/mail/corpus/*.eml), read by name.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fl::testing {

inline std::filesystem::path corpus_dir() {
  return FL_MAIL_CORPUS_DIR;
}

inline std::string corpus_message(const std::string& name) {
  std::ifstream in(corpus_dir() / name, std::ios::binary);
  if (!in) throw std::runtime_error("no corpus message " + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::filesystem::path> corpus_files() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(corpus_dir()))
    if (e.path().extension() == ".eml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace fl::testing
