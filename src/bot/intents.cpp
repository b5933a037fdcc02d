#include "bot/intents.hpp"

#include <fasttext/args.h>
#include <fasttext/fasttext.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fl::bot {

namespace {

constexpr std::string_view kLabel = "__label__";

// A training file fastText can read, removed when done (fastText trains from a path only).
class TrainingFile {
 public:
  TrainingFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "firstline-intents-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
    }
  }
  ~TrainingFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TrainingFile(const TrainingFile&) = delete;
  TrainingFile& operator=(const TrainingFile&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

std::string intent_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto space = [&] {
    if (!out.empty() && out.back() != ' ') out += ' ';
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      ++i;
      if (d == 0x84 || d == 0x96 || d == 0x9C) {  // Ä Ö Ü → ä ö ü
        out += '\xC3';
        out += static_cast<char>(d + 0x20);
      } else if (d == 0x9F) {  // ß
        out += "ss";
      } else {
        out += '\xC3';
        out += static_cast<char>(d);
      }
    } else if (c >= 0x80) {
      out += static_cast<char>(c);  // other UTF-8 as it is
    } else if (std::isalnum(c) != 0) {
      out += static_cast<char>(std::tolower(c));
    } else {
      space();
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Result<IntentClassifier> IntentClassifier::train(const std::vector<IntentExample>& examples,
                                                 const IntentTraining& training) {
  std::set<std::string> intents;
  for (const auto& e : examples) {
    if (e.intent.empty() || e.intent.find_first_of(" \t\n") != std::string::npos)
      return fail(ErrorCode::invalid_argument, "intent names are single words: '" + e.intent + "'");
    if (!intent_text(e.text).empty()) intents.insert(e.intent);
  }
  if (intents.size() < 2)
    return fail(ErrorCode::invalid_argument, "the intent classifier needs two intents or more");

  TrainingFile file;
  if (file.path().empty())
    return fail(ErrorCode::unavailable, "no temporary file for training the intent classifier");
  {
    std::ofstream out(file.path());
    for (const auto& e : examples) {
      const std::string words = intent_text(e.text);
      if (!words.empty()) out << kLabel << e.intent << ' ' << words << '\n';
    }
    if (!out.flush())
      return fail(ErrorCode::unavailable, "cannot write the intent classifier's training file");
  }

  fasttext::Args args;
  args.input = file.path();
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.minCount = 1;
  args.minn = 3;  // character n-grams carry typos and German compounds
  args.maxn = 5;
  args.wordNgrams = 2;
  args.dim = training.dimension;
  args.epoch = training.epochs;
  args.lr = training.learning_rate;
  args.bucket = 200'000;  // × dimension floats: ~25 MB at 32
  args.thread = 1;        // one thread, fixed seed: the same examples give the same model
  args.seed = 7;
  args.verbose = 0;
  auto model = std::make_shared<fasttext::FastText>();
  try {
    model->train(args);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("training the intent classifier failed: ") +
                                         e.what());
  }
  IntentClassifier c;
  c.model_ = std::move(model);
  c.intents_.assign(intents.begin(), intents.end());
  return c;
}

std::vector<IntentGuess> IntentClassifier::classify(std::string_view text, int k) const {
  std::vector<IntentGuess> out;
  const std::string words = intent_text(text);
  if (words.empty() || k <= 0) return out;
  std::istringstream in(words + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  model_->predictLine(in, predictions, k, 0.0);
  for (auto& [p, label] : predictions) {
    std::string intent = label.starts_with(kLabel) ? label.substr(kLabel.size()) : label;
    out.push_back({std::move(intent), std::clamp(static_cast<double>(p), 0.0, 1.0)});
  }
  return out;
}

}  // namespace fl::bot
