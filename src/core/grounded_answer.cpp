#include "core/grounded_answer.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"

namespace fl {

std::vector<ChatMessage> grounded_messages(std::string_view question, std::string_view language,
                                           const std::vector<Passage>& passages) {
  const bool de = language == "de";
  std::string system =
      de ? "Du bist der Self-Service-Assistent eines IT-Service-Desks. Antworte nur mit dem, "
           "was in den nummerierten Auszügen aus der Wissensdatenbank steht, kurz (höchstens "
           "fünf Sätze) und auf Deutsch. Belege jede Aussage mit der Nummer ihres Auszugs in "
           "eckigen Klammern, z. B. [1]. Steht die Antwort nicht in den Auszügen, antworte "
           "genau mit "
         : "You are the self-service assistant of an IT service desk. Answer only with what the "
           "numbered knowledge-base excerpts say, briefly (five sentences at most) and in "
           "English. Cite every statement with the number of its excerpt in square brackets, "
           "e.g. [1]. If the excerpts do not hold the answer, reply with exactly ";
  system += kNoAnswer;
  system += de ? " und nichts sonst. Erfinde nichts." : " and nothing else. Do not make anything up.";

  std::string user = de ? "Auszüge:\n" : "Excerpts:\n";
  for (std::size_t i = 0; i < passages.size(); ++i) {
    user += "[" + std::to_string(i + 1) + "] " + passages[i].title + "\n" + passages[i].text +
            "\n\n";
  }
  user += de ? "Frage: " : "Question: ";
  user += question;
  return {{"system", std::move(system)}, {"user", std::move(user)}};
}

std::optional<CitedAnswer> read_cited_answer(std::string_view content,
                                             const std::vector<Passage>& passages) {
  CitedAnswer out;
  out.text = trim(content);
  if (out.text.empty() || out.text.find(kNoAnswer) != std::string::npos) return std::nullopt;
  bool cited_unknown = false;
  for (std::size_t at = out.text.find('['); at != std::string::npos;
       at = out.text.find('[', at + 1)) {
    const std::size_t end = out.text.find(']', at);
    if (end == std::string::npos) break;
    const std::string_view inside(out.text.data() + at + 1, end - at - 1);
    // Only markers: digits, commas and spaces.
    if (inside.empty() || !std::ranges::all_of(inside, [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == ',' || c == ' ';
        }))
      continue;
    std::size_t n = 0;
    bool in_number = false;
    auto take = [&] {
      if (!in_number) return;
      if (n < 1 || n > passages.size()) {
        cited_unknown = true;
      } else {
        const ArticleId id = passages[n - 1].article;
        if (std::ranges::find(out.sources, id) == out.sources.end()) out.sources.push_back(id);
      }
      n = 0;
      in_number = false;
    };
    for (char c : inside) {
      if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
        n = std::min<std::size_t>(n * 10 + static_cast<std::size_t>(c - '0'), 1'000'000);
        in_number = true;
      } else {
        take();
      }
    }
    take();
  }
  if (cited_unknown || out.sources.empty()) return std::nullopt;
  return out;
}

}  // namespace fl
