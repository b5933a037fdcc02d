// Fuzz target for the MIME parser and the HTML rules. With libFuzzer (clang -fsanitize=fuzzer)
// LLVMFuzzerTestOneInput is the entry; g++ has none, so the standalone driver below (built
// unless FL_LIBFUZZER is defined) runs every corpus message and N random mutations of them:
//   fuzz_mail_parser [ITERATIONS] [SEED]   (default 3000 iterations, seed 1)
// Each input must parse or fail cleanly, give valid UTF-8, and sanitised HTML without script.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment.hpp"
#include "core/mail.hpp"
#include "mail/corpus.hpp"
#include "mail/html.hpp"
#include "mail/mime_parser.hpp"

namespace {

void check(bool ok, const char* what, std::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_mail_parser: %s (input of %zu bytes)\n", what, input.size());
  std::FILE* f = std::fopen("fuzz-crash.eml", "wb");
  if (f) {
    std::fwrite(input.data(), 1, input.size(), f);
    std::fclose(f);
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  fl::mail::MailLimits limits;
  limits.max_parts = 64;
  auto mail = fl::mail::parse_mail(input, limits);
  if (mail) {
    check(fl::is_valid_utf8(mail->subject), "subject is not UTF-8", input);
    check(fl::is_valid_utf8(mail->text), "text is not UTF-8", input);
    check(fl::is_valid_utf8(mail->from.name), "name is not UTF-8", input);
    check(mail->html.find("<script") == std::string::npos, "script survived", input);
    (void)fl::trim_reply(mail->text);
    (void)fl::classify_noise(*mail, "support@desk.example");
    (void)fl::ticket_tag(mail->subject);
    (void)fl::our_message_ticket(mail->in_reply_to);
  }
  std::string html = fl::mail::sanitise_html(input);
  check(html.find("<script") == std::string::npos, "script survived the sanitiser", input);
  check(html.find("href=\"javascript:") == std::string::npos, "javascript: link survived", input);
  (void)fl::mail::html_to_text(input);
  return 0;
}

#ifndef FL_LIBFUZZER
namespace {

// Byte flips, insertions of MIME-significant tokens, deletions, duplications, truncation.
std::string mutate(std::string s, std::mt19937_64& rng) {
  static const std::vector<std::string> tokens = {"\r\n",
                                                  "\n\n",
                                                  "--",
                                                  "=?utf-8?B?",
                                                  "=?iso-8859-1?q?",
                                                  "?=",
                                                  "boundary=\"x\"",
                                                  "=\r\n",
                                                  "=XX",
                                                  "<",
                                                  ">",
                                                  "<script>",
                                                  "Content-Type: multipart/mixed; boundary=b\n",
                                                  "--b\n",
                                                  "--b--",
                                                  "Content-Transfer-Encoding: base64\n",
                                                  "\xff\xfe",
                                                  "\xc3",
                                                  "&#x",
                                                  "cid:"};
  int steps = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < steps; ++i) {
    std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 6) {
      case 0:
        if (!s.empty() && at < s.size()) s[at] = static_cast<char>(rng());
        break;
      case 1:
        s.insert(at, tokens[rng() % tokens.size()]);
        break;
      case 2:
        if (at < s.size()) s.erase(at, 1 + rng() % 64);
        break;
      case 3:
        if (at < s.size()) s.insert(at, s.substr(at, 1 + rng() % 256));
        break;
      case 4:
        s.resize(at);
        break;
      case 5:
        if (at < s.size()) s[at] = "\r\n:;=\"<>-"[rng() % 10];
        break;
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 3000;
  std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  std::vector<std::string> corpus;
  for (const auto& p : fl::testing::corpus_files())
    corpus.push_back(fl::testing::corpus_message(p.filename().string()));
  if (corpus.empty()) {
    std::fprintf(stderr, "fuzz_mail_parser: no corpus in %s\n",
                 fl::testing::corpus_dir().string().c_str());
    return 1;
  }
  auto run = [](const std::string& s) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  for (const auto& c : corpus) run(c);
  std::mt19937_64 rng(seed);
  for (long i = 0; i < iterations; ++i) {
    std::string base = corpus[rng() % corpus.size()];
    // The huge-line message makes every mutation slow: keep most inputs small.
    if (base.size() > 20000) base.resize(20000);
    run(mutate(std::move(base), rng));
  }
  std::printf("fuzz_mail_parser: %zu corpus messages and %ld mutations (seed %llu): no failure\n",
              corpus.size(), iterations, static_cast<unsigned long long>(seed));
  return 0;
}
#endif
