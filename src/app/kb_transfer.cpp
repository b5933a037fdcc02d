#include "app/kb_transfer.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "core/text.hpp"

namespace fl {

namespace json = boost::json;

namespace {

Result<void> field_error(const std::string& source, std::string_view key, std::string message) {
  std::string summary = source + ": " + std::string(key) + ": " + message;
  return fail(ErrorCode::invalid_argument, std::move(summary),
              {{std::string(key), std::move(message)}});
}

// Sets one field from its text form; shared by both formats.
Result<void> set_field(ArticleFile& f, std::string_view key, std::string_view value) {
  NewArticle& a = f.article;
  auto id_of = [&](std::string_view v) -> std::optional<std::int64_t> {
    std::int64_t n = 0;
    for (char c : v) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return v.empty() || n == 0 ? std::nullopt : std::optional<std::int64_t>(n);
  };
  auto enum_field = [&]<class E>(E& out) -> Result<void> {
    auto e = parse_name<E>(value);
    if (!e) return field_error(f.source, key, "one of: " + allowed_names<E>());
    out = *e;
    return {};
  };
  if (key == "id") {
    f.id = id_of(value);
    if (!f.id) return field_error(f.source, key, "a positive number");
  } else if (key == "title") {
    a.title = std::string(value);
  } else if (key == "language") {
    a.language = std::string(value);
  } else if (key == "kind") {
    return enum_field(a.kind);
  } else if (key == "audience") {
    return enum_field(a.audience);
  } else if (key == "status") {
    return enum_field(a.status);
  } else if (key == "category") {
    f.category_path = std::string(value);
  } else if (key == "keywords") {
    a.keywords.clear();
    std::string_view rest = value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      if (auto k = trim(rest.substr(0, comma)); !k.empty()) a.keywords.push_back(k);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  } else if (key == "translation_of") {
    a.translation_of = id_of(value);
    if (!a.translation_of) return field_error(f.source, key, "an article id");
  } else {
    return field_error(f.source, key, "unknown key");
  }
  return {};
}

std::string category_path_of(const std::vector<Category>& all, std::optional<CategoryId> id) {
  std::string path;
  for (const Category* c : category_ancestry(all, id)) path += (path.empty() ? "" : "/") + c->name;
  return path;
}

// The category at `path`, created level by level when missing.
Result<std::optional<CategoryId>> ensure_category(KnowledgeBase& kb, const Actor& actor,
                                                  const std::string& path) {
  std::optional<CategoryId> parent;
  std::string_view rest = path;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    std::string name = trim(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (name.empty()) continue;
    auto all = kb.categories();
    if (!all) return std::unexpected(all.error());
    auto it = std::ranges::find_if(
        *all, [&](const Category& c) { return c.name == name && c.parent == parent; });
    if (it != all->end()) {
      parent = it->id;
      continue;
    }
    auto created = kb.create_category(actor, {0, name, parent});
    if (!created) return std::unexpected(created.error());
    parent = created->id;
  }
  return parent;
}

}  // namespace

Result<ArticleFile> parse_markdown_article(std::string_view text, std::string source) {
  ArticleFile f;
  f.source = std::move(source);
  auto next_line = [&](std::string_view& rest) {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };
  std::string_view rest = text;
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // a BOM from some editors
  if (next_line(rest) != "---")
    return std::unexpected(
        field_error(f.source, "front matter", "the file must start with a '---' line").error());
  for (;;) {
    if (rest.empty())
      return std::unexpected(
          field_error(f.source, "front matter", "no closing '---' line").error());
    std::string_view line = next_line(rest);
    if (line == "---") break;
    if (is_blank(line) || line.front() == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return std::unexpected(field_error(f.source, "front matter",
                                         "expected 'key: value', got '" + std::string(line) + "'")
                                 .error());
    std::string key = trim(line.substr(0, colon));
    std::string value = trim(line.substr(colon + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (auto ok = set_field(f, key, value); !ok) return std::unexpected(ok.error());
  }
  while (!rest.empty() && (rest.front() == '\n' || rest.front() == '\r')) rest.remove_prefix(1);
  f.article.body = std::string(rest);
  if (is_blank(f.article.title))
    return std::unexpected(field_error(f.source, "title", "required").error());
  return f;
}

Result<std::vector<ArticleFile>> parse_article_lines(std::string_view jsonl, std::string source) {
  std::vector<ArticleFile> out;
  int number = 0;
  std::string_view rest = jsonl;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    ++number;
    if (is_blank(line)) continue;
    ArticleFile f;
    f.source = source + ":" + std::to_string(number);
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object())
      return fail(ErrorCode::invalid_argument, f.source + ": not a JSON object");
    for (const auto& [key, value] : v.as_object()) {
      std::string text;
      if (key == "body") {
        if (!value.is_string())
          return std::unexpected(field_error(f.source, "body", "a string").error());
        f.article.body = std::string(value.as_string());
        continue;
      }
      if (key == "keywords" && value.is_array()) {
        for (const auto& k : value.as_array())
          if (k.is_string()) f.article.keywords.emplace_back(k.as_string());
        continue;
      }
      if (value.is_string())
        text = std::string(value.as_string());
      else if (value.is_int64())
        text = std::to_string(value.as_int64());
      else if (value.is_null())
        continue;
      else
        return std::unexpected(field_error(f.source, key, "a string or number").error());
      if (auto ok = set_field(f, key, text); !ok) return std::unexpected(ok.error());
    }
    if (is_blank(f.article.title))
      return std::unexpected(field_error(f.source, "title", "required").error());
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<ArticleFile>> read_article_files(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  auto slurp = [](const fs::path& p) -> Result<std::string> {
    std::ifstream in(p, std::ios::binary);
    if (!in) return fail(ErrorCode::not_found, "cannot read " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(path, ec))
      if (e.is_regular_file() && e.path().extension() == ".md") files.push_back(e.path());
    if (ec)
      return fail(ErrorCode::unavailable, "cannot list " + path.string() + ": " + ec.message());
    std::ranges::sort(files);
    std::vector<ArticleFile> out;
    for (const auto& p : files) {
      auto text = slurp(p);
      if (!text) return std::unexpected(text.error());
      auto f = parse_markdown_article(*text, fs::relative(p, path).string());
      if (!f) return std::unexpected(f.error());
      out.push_back(std::move(*f));
    }
    return out;
  }
  auto text = slurp(path);
  if (!text) return std::unexpected(text.error());
  if (path.extension() == ".jsonl") return parse_article_lines(*text, path.filename().string());
  if (path.extension() == ".md") {
    auto f = parse_markdown_article(*text, path.filename().string());
    if (!f) return std::unexpected(f.error());
    return std::vector<ArticleFile>{std::move(*f)};
  }
  return fail(ErrorCode::invalid_argument,
              path.string() + ": expected a folder, a .md or a .jsonl file");
}

Result<ImportReport> import_articles(KnowledgeBase& kb, const Actor& actor,
                                     const std::vector<ArticleFile>& files) {
  ImportReport report;
  std::map<std::string, std::optional<CategoryId>> categories;
  for (const auto& f : files) {
    auto fail_one = [&](const Error& e) { report.failed.push_back(f.source + ": " + e.message); };
    NewArticle a = f.article;
    if (!f.category_path.empty()) {
      auto known = categories.find(f.category_path);
      if (known == categories.end()) {
        auto c = ensure_category(kb, actor, f.category_path);
        if (!c) {
          fail_one(c.error());
          continue;
        }
        known = categories.emplace(f.category_path, *c).first;
      }
      a.category = known->second;
    }
    std::optional<Article> existing;
    if (f.id)
      if (auto current = kb.get(actor, *f.id)) existing = std::move(*current);
    if (existing) {
      ArticlePatch p{.version = existing->version,
                     .title = a.title,
                     .body = a.body,
                     .language = a.language,
                     .translation_of = a.translation_of,
                     .category = a.category,
                     .kind = a.kind,
                     .audience = a.audience,
                     .status = a.status,
                     .keywords = a.keywords};
      if (auto r = kb.update(actor, existing->id, p); r)
        ++report.updated;
      else
        fail_one(r.error());
    } else {
      if (auto r = kb.create(actor, a); r)
        ++report.created;
      else
        fail_one(r.error());
    }
  }
  return report;
}

namespace {

// Every article the actor may read, in id order.
Result<std::vector<Article>> all_articles(KnowledgeBase& kb, const Actor& actor) {
  std::vector<Article> out;
  ArticleFilter f;
  f.limit = 200;
  for (;;) {
    auto page = kb.list(actor, f);
    if (!page) return std::unexpected(page.error());
    for (auto& a : *page) out.push_back(std::move(a));
    if (page->size() < 200) return out;
    f.after = page->back().id;
  }
}

}  // namespace

std::string to_markdown_file(const Article& a, const std::string& category_path) {
  std::string keywords;
  for (const auto& k : a.keywords) keywords += (keywords.empty() ? "" : ", ") + k;
  std::string out = "---\nid: " + std::to_string(a.id) + "\ntitle: " + a.title +
                    "\nlanguage: " + a.language + "\nkind: " + std::string(name_of(a.kind)) +
                    "\naudience: " + std::string(name_of(a.audience)) +
                    "\nstatus: " + std::string(name_of(a.status)) + "\n";
  if (!category_path.empty()) out += "category: " + category_path + "\n";
  if (!keywords.empty()) out += "keywords: " + keywords + "\n";
  if (a.translation_of) out += "translation_of: " + std::to_string(*a.translation_of) + "\n";
  out += "---\n\n" + a.body;
  if (!a.body.empty() && a.body.back() != '\n') out += "\n";
  return out;
}

Result<void> export_article_lines(KnowledgeBase& kb, const Actor& actor, std::ostream& out) {
  auto articles = all_articles(kb, actor);
  if (!articles) return std::unexpected(articles.error());
  auto categories = kb.categories();
  if (!categories) return std::unexpected(categories.error());
  for (const auto& a : *articles) {
    json::object o{{"id", a.id},
                   {"title", a.title},
                   {"language", a.language},
                   {"kind", name_of(a.kind)},
                   {"audience", name_of(a.audience)},
                   {"status", name_of(a.status)},
                   {"category", category_path_of(*categories, a.category)},
                   {"keywords", json::array(a.keywords.begin(), a.keywords.end())},
                   {"body", a.body}};
    if (a.translation_of) o["translation_of"] = *a.translation_of;
    out << json::serialize(o) << '\n';
  }
  if (!out) return fail(ErrorCode::unavailable, "writing the export failed");
  return {};
}

Result<int> export_markdown_files(KnowledgeBase& kb, const Actor& actor,
                                  const std::filesystem::path& dir) {
  auto articles = all_articles(kb, actor);
  if (!articles) return std::unexpected(articles.error());
  auto categories = kb.categories();
  if (!categories) return std::unexpected(categories.error());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return fail(ErrorCode::unavailable, "cannot create " + dir.string() + ": " + ec.message());
  for (const auto& a : *articles) {
    auto file = dir / (std::to_string(a.id) + "-" + a.language + ".md");
    std::ofstream out(file, std::ios::binary);
    out << to_markdown_file(a, category_path_of(*categories, a.category));
    if (!out) return fail(ErrorCode::unavailable, "cannot write " + file.string());
  }
  return static_cast<int>(articles->size());
}

}  // namespace fl
