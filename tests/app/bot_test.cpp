// The chatbot's understanding and dialogue against a real SQLite store and a small knowledge
// base of this file's own: language, small talk, flow vs article vs asking back, flows to solved
// and to hand-off, the hand-off ticket, anonymous hand-off, deflection, access and rate limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "app/bot_brain.hpp"
#include "app/bot_flows.hpp"
#include "app/bot_service.hpp"
#include "app/bot_understanding.hpp"
#include "app/knowledge_base.hpp"
#include "app/live_chat.hpp"
#include "bot/shipped.hpp"
#include "bot/slot.hpp"
#include "search_desk_fixture.hpp"

namespace fl::testing {

using namespace std::chrono_literals;

namespace {

const std::vector<bot::Flow>& shipped() {
  static const std::vector<bot::Flow> flows = [] {
    std::vector<bot::Flow> out;
    for (auto doc : bot::shipped_flows()) out.push_back(*bot::parse_flow(doc));
    return out;
  }();
  return flows;
}

BotInput text(std::string t) {
  return {.text = std::move(t)};
}
BotInput press(std::string id) {
  return {.button = std::move(id)};
}

bool has_button(const BotReply& r, std::string_view id) {
  for (const auto& b : r.buttons)
    if (b.id == id) return true;
  return false;
}

std::string all_text(const BotReply& r) {
  std::string out;
  for (const auto& m : r.messages) out += m.text + "\n";
  return out;
}

// A model server stand-in for the generative step (no model server runs here): answers with
// `reply` (or fails), and keeps what it was asked.
class ScriptedModel final : public LanguageModel {
 public:
  explicit ScriptedModel(Result<std::string> reply) : reply_(std::move(reply)) {}
  Result<std::string> complete(const std::vector<ChatMessage>& messages) override {
    asked = messages;
    return reply_;
  }
  std::vector<ChatMessage> asked;

 private:
  Result<std::string> reply_;
};

}  // namespace

class BotTest : public SearchDeskTest {
 protected:
  void SetUp() override {
    SearchDeskTest::SetUp();
    calendar = ok(kb->create(
        sup, {.title = "Kalender für Kollegen freigeben",
              .body = "Öffnen Sie Outlook im Web, klicken Sie mit der rechten Maustaste auf Ihren "
                      "Kalender und wählen Sie **Freigabe**. Tragen Sie die Kollegen ein und "
                      "wählen Sie, ob sie nur Zeiten oder auch Details sehen. Die Kollegen "
                      "bekommen eine Einladung per Mail und sehen Ihren Kalender danach in ihrer "
                      "Liste. Eine Freigabe lässt sich jederzeit wieder entfernen, auch für "
                      "einzelne Personen, und gilt für alle Termine.",
              .language = "de",
              .status = ArticleStatus::published}));
    calendar_en = ok(kb->create(
        sup, {.title = "Share your calendar with colleagues",
              .body = "Open Outlook on the web, right-click your calendar and choose Sharing. "
                      "Add your colleagues and pick what they see.",
              .language = "en",
              .status = ArticleStatus::published}));
    delegate = ok(kb->create(
        sup, {.title = "Kalender Stellvertretung einrichten",
              .body = "Eine Stellvertretung für Ihren Kalender richten Sie unter Einstellungen "
                      "ein. Der Stellvertreter darf dann Termine annehmen.",
              .language = "de",
              .status = ArticleStatus::published}));
    secret = ok(kb->create(
        sup, {.title = "Kalender Freigabe Admin Trick",
              .body = "Intern: Kalender aller Kollegen über die Admin-Konsole freigeben.",
              .language = "de",
              .audience = Audience::internal,
              .status = ArticleStatus::published}));
    ok(search->catch_up());
    understanding =
        std::make_shared<const BotUnderstanding>(ok(BotUnderstanding::create(shipped(), *search)));
    brain = std::make_unique<BotBrain>(understanding);
    bot = std::make_unique<BotService>(*store, *brain, *tickets, *deflection, *directory,
                                       ids, clock);
    german = person_in("de_user", "de");
  }

  Actor person_in(const std::string& login, const std::string& language) {
    auto u = ok(directory->create_user(
        nullptr,
        {login, login, login + "@acme.example", Role::customer, acme.id, {}, language, ""}));
    return ok(directory->actor_for(u));
  }
  BotReply start(const Actor& who, std::optional<std::string> lang = {},
                 const std::string& address = "192.0.2.1") {
    return ok(bot->start(who, {address, ""}, std::move(lang), nullptr));
  }
  BotReply say(const Actor& who, const BotReply& session, BotInput in) {
    return ok(bot->answer(who, session.session, {"192.0.2.1", ""}, in, nullptr));
  }
  Understanding understand(const std::string& t, const Actor& who = Actor{},
                           std::string setting = "", std::string fallback = "en") {
    return ok(understanding->understand(who, t, setting, fallback));
  }
  std::shared_ptr<const BotUnderstanding> understanding;
  std::unique_ptr<BotBrain> brain;
  std::unique_ptr<BotService> bot;
  Article calendar, calendar_en, delegate, secret;
  Actor german;
};

// --- understanding ----------------------------------------------------------------------------

TEST_F(BotTest, LanguageComesFromTheSettingElseTheTextElseTheFallback) {
  EXPECT_EQ(understand("Mein Drucker druckt nicht mehr").language, "de");
  EXPECT_EQ(understand("my printer does not print").language, "en");
  EXPECT_EQ(understand("my printer does not print", Actor{}, "de").language, "de");
  EXPECT_EQ(understand("Drucker", Actor{}, "", "de").language, "de");
  EXPECT_EQ(understand("Drucker", Actor{}, "", "en").language, "en");
  EXPECT_EQ(understand("Passwort geändert").language, "de") << "an umlaut reads German";
}

TEST_F(BotTest, SmallTalkIsRecognisedInBothLanguages) {
  for (const char* t : {"Hallo", "guten Morgen", "hello there"}) {
    auto u = understand(t);
    EXPECT_EQ(u.kind, Understanding::Kind::small_talk) << t;
    EXPECT_EQ(u.intent, kGreeting) << t;
  }
  for (const char* t : {"danke schön", "thanks a lot"})
    EXPECT_EQ(understand(t).intent, kThanks) << t;
  for (const char* t :
       {"Mitarbeiter", "Ich möchte mit einem Menschen sprechen", "agent", "talk to a human please"})
    EXPECT_EQ(understand(t).intent, kHuman) << t;
}

TEST_F(BotTest, AConfidentProblemStartsItsFlow) {
  for (auto [t, flow] : std::vector<std::pair<const char*, const char*>>{
           {"Mein Drucker druckt nicht mehr", "printer"},
           {"VPN verbindet sich nicht von zu Hause", "vpn"},
           {"I forgot my password", "password"},
           {"outlook does not receive any emails", "email"}}) {
    auto u = understand(t);
    EXPECT_EQ(u.kind, Understanding::Kind::flow) << t;
    EXPECT_EQ(u.intent, flow) << t;
    EXPECT_GE(u.confidence, understanding->thresholds().flow) << t;
  }
}

TEST_F(BotTest, AnArticleThatClearlyFitsIsTheAnswer) {
  auto u = understand("Wie kann ich meinen Kalender für Kollegen freigeben?");
  ASSERT_EQ(u.kind, Understanding::Kind::article);
  EXPECT_EQ(u.articles.front().id, calendar.id);
  auto en = understand("share calendar with colleagues");
  ASSERT_EQ(en.kind, Understanding::Kind::article);
  EXPECT_EQ(en.articles.front().id, calendar_en.id) << "English finds the English article";
}

// A question none of the flows is about: without the knowledge base's titles the classifier
// can only pick among the flows and small talk; with them it learns "knowledge" and the
// question goes to the knowledge base.
TEST_F(BotTest, AQuestionForTheKnowledgeBaseIsNotForcedIntoAFlow) {
  const std::vector<std::string> titles{
      "Share your calendar with colleagues", "Kalender für Kollegen freigeben",
      "Book a meeting room",                 "Besprechungsraum buchen",
      "Submit a travel expense report",      "Reisekostenabrechnung einreichen",
      "Order business cards",                "Visitenkarten bestellen",
      "Request parking permit",              "Parkausweis beantragen"};
  auto with = ok(BotUnderstanding::create(shipped(), *search, {}, titles));
  auto without = ok(BotUnderstanding::create(shipped(), *search));
  int forced = 0;
  for (const char* q : {"How do I book a meeting room for tomorrow?",
                        "Wie reiche ich meine Reisekosten ein?",
                        "where can I order new business cards",
                        "Parkausweis für die Tiefgarage beantragen"}) {
    auto u = ok(with.understand(Actor{}, q, "", "en"));
    EXPECT_NE(u.kind, Understanding::Kind::flow) << q;
    auto v = ok(without.understand(Actor{}, q, "", "en"));
    forced += v.kind == Understanding::Kind::flow;
  }
  EXPECT_GT(forced, 0) << "without the titles, some of them land in a flow";
  // The flows' own problems still start their flows.
  auto printer = ok(with.understand(Actor{}, "Mein Drucker druckt nicht mehr", "", "de"));
  EXPECT_EQ(printer.kind, Understanding::Kind::flow);
}

// With a language model, a message no article clearly fits gets an answer written from the
// articles found, with its sources; "yes" then ends the session deflected. A model that says
// it cannot answer, cites nothing, or cannot be reached leaves the bot asking back as before.
TEST_F(BotTest, AGenerativeAnswerIsShownOnlyWithTheSourcesItCites) {
  // A message the bot would ask back about (the search finds calendar articles for it).
  std::string question;
  for (const char* q : {"Kollegen sollen meine Termine im Kalender sehen",
                        "Kalender Freigabe klappt irgendwie nicht richtig",
                        "Kalender teilen Kollegen Problem"}) {
    auto u = understand(q, Actor{}, "de");
    if (u.kind == Understanding::Kind::clarify) {
      question = q;
      break;
    }
  }
  ASSERT_FALSE(question.empty()) << "no message to ask back about";
  const Actor customer = person_in("gen_user", "de");

  ScriptedModel writes(std::string("Geben Sie den Kalender in Outlook frei [1]."));
  BotService with_model(*store, *brain, *tickets, *deflection, *directory, ids, clock, {},
                        &writes);
  auto hello = ok(with_model.start(customer, {"192.0.2.9", ""}, "de", nullptr));
  auto r = ok(with_model.answer(customer, hello.session, {"192.0.2.9", ""},
                                {.text = question}, nullptr));
  const std::string text = all_text(r);
  EXPECT_NE(text.find("Geben Sie den Kalender in Outlook frei [1]."), std::string::npos) << text;
  ASSERT_FALSE(writes.asked.empty());
  EXPECT_NE(writes.asked[1].content.find("[1] "), std::string::npos) << "numbered passages";
  EXPECT_NE(writes.asked[1].content.find("Frage: " + question), std::string::npos);
  const auto source = std::ranges::find_if(r.messages, [](const BotMessage& m) { return m.article.has_value(); });
  ASSERT_NE(source, r.messages.end()) << "the cited article is linked";
  EXPECT_TRUE(has_button(r, "yes"));
  auto done = ok(with_model.answer(customer, hello.session, {"192.0.2.9", ""}, {.button = "yes"},
                                   nullptr));
  EXPECT_EQ(done.status, BotSessionStatus::deflected);

  for (Result<std::string> reply :
       {Result<std::string>(std::string("NO_ANSWER")),
        Result<std::string>(std::string("Starten Sie den Rechner neu.")),  // cites nothing
        Result<std::string>(fail(ErrorCode::unavailable, "model server down"))}) {
    ScriptedModel model(reply);
    BotService bot2(*store, *brain, *tickets, *deflection, *directory, ids, clock, {},
                    &model);
    auto s = ok(bot2.start(customer, {"192.0.2.9", ""}, "de", nullptr));
    auto asked = ok(bot2.answer(customer, s.session, {"192.0.2.9", ""}, {.text = question}, nullptr));
    EXPECT_TRUE(std::ranges::any_of(asked.buttons, [](const BotButton& b) {
      return b.id.starts_with("article:") || b.id.starts_with("flow:");
    })) << "asks back";
    EXPECT_EQ(all_text(asked).find("automatisch formuliert"), std::string::npos);
  }
}

TEST_F(BotTest, WhenUnsureItAsksBackRatherThanGuesses) {
  auto u = understand("Kalender Problem seltsam");
  EXPECT_EQ(u.kind, Understanding::Kind::clarify);
  EXPECT_LE(u.flows.size() + u.articles.size(), 3u);
  auto nothing = understand("qwertz asdfgh yxcvb");
  EXPECT_EQ(nothing.kind, Understanding::Kind::clarify);
  EXPECT_TRUE(nothing.articles.empty());
}

TEST_F(BotTest, GuestsAndCustomersOnlyEverSeePublicArticles) {
  for (const Actor& who : {Actor{}, c1}) {
    auto hits = ok(understanding->articles(who, "Kalender Freigabe Admin Trick", "de", 10));
    for (const auto& h : hits) EXPECT_NE(h.id, secret.id);
  }
  auto staff = ok(understanding->articles(sup, "Kalender Freigabe Admin Trick", "de", 10));
  EXPECT_TRUE(std::ranges::any_of(staff, [&](const ArticleHit& h) { return h.id == secret.id; }))
      << "the same search finds it for staff: the filter is the actor";
}

// --- priority ---------------------------------------------------------------------------------

TEST(BotPriorityTest, PriorityBecomesImpactAndUrgencyLikeThePortal) {
  using P = bot::HandoffPriority;
  auto p = [](P priority, std::string_view affected) {
    auto iu = impact_urgency_for(priority, affected);
    return priority_for(iu.impact, iu.urgency);
  };
  EXPECT_EQ(p(P::low, ""), Priority::p4);
  EXPECT_EQ(p(P::normal, ""), Priority::p3);
  EXPECT_EQ(p(P::high, ""), Priority::p2);
  EXPECT_EQ(p(P::critical, ""), Priority::p1);
  EXPECT_EQ(p(P::normal, "me"), Priority::p3);
  EXPECT_EQ(impact_urgency_for(P::normal, "several").impact, 2);
  EXPECT_EQ(p(P::low, "everyone"), Priority::p1) << "an outage for everyone cannot wait";
}

TEST(BotPriorityTest, UrgentWordsRaiseOneStepAndEveryoneIsAtLeastHigh) {
  using P = bot::HandoffPriority;
  EXPECT_EQ(handoff_priority(P::normal, {"Drucker geht nicht"}, ""), P::normal);
  EXPECT_EQ(handoff_priority(P::normal, {"Drucker geht nicht, dringend!"}, ""), P::high);
  EXPECT_EQ(handoff_priority(P::normal, {"printer broken", "ASAP please"}, ""), P::high);
  EXPECT_EQ(handoff_priority(P::high, {"niemand kann arbeiten"}, ""), P::critical);
  EXPECT_EQ(handoff_priority(P::critical, {"sofort"}, ""), P::critical);
  EXPECT_EQ(handoff_priority(P::low, {"geht nicht"}, "everyone"), P::high);
  EXPECT_EQ(handoff_priority(P::low, {"Sofortbildkamera"}, ""), P::low) << "whole words only";
}

// --- the dialogue -----------------------------------------------------------------------------

TEST_F(BotTest, StartGreetsInTheRequestedLanguageWithTopics) {
  auto de = start(Actor{}, "de");
  EXPECT_EQ(de.language, "de");
  EXPECT_NE(all_text(de).find("Hallo"), std::string::npos);
  EXPECT_TRUE(has_button(de, "flow:printer"));
  EXPECT_TRUE(has_button(de, "human"));
  EXPECT_EQ(de.expecting, "text");
  EXPECT_EQ(start(Actor{}, "en").language, "en");
  EXPECT_EQ(start(german).language, "de") << "a German user's setting";
  EXPECT_FALSE(bot->start(Actor{}, {"192.0.2.9", ""}, "fr", nullptr));
}

TEST_F(BotTest, AFlowToSolvedEndsTheSessionDeflected) {
  auto s = start(german);
  auto r = say(german, s, text("Mein Drucker druckt nicht mehr"));
  EXPECT_EQ(r.expecting, "slot");
  for (auto in : {text("Kyocera 2. OG"), text("win 11"), press("nothing"), text("nein"),
                  text("ja, jetzt geht's")})
    r = say(german, s, in);
  EXPECT_EQ(r.status, BotSessionStatus::deflected);
  EXPECT_EQ(r.expecting, "nothing");
  EXPECT_EQ(ok(store->bot_session(s.session)).status, BotSessionStatus::deflected);
  EXPECT_TRUE(ok(tickets->list(sup, {})).tickets.empty());
  auto again = bot->answer(german, s.session, {}, text("hallo"), nullptr);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::failed_precondition);
}

TEST_F(BotTest, AFlowToHandoffOpensATicketWithEverythingTheAgentNeeds) {
  auto s = start(german);
  auto r = say(german, s, text("Mein Drucker druckt nicht mehr"));
  for (auto in : {text("Kyocera 2. OG"), text("Windows 11"), press("offline"), press("no"),
                  press("no"), text("das ganze Team"), text("seit heute Morgen")})
    r = say(german, s, in);
  ASSERT_EQ(r.status, BotSessionStatus::handed_off) << all_text(r);
  ASSERT_TRUE(r.ticket);
  EXPECT_NE(all_text(r).find(std::to_string(r.ticket->number)), std::string::npos);
  Ticket t = ok(tickets->get(l1, r.ticket->id));
  EXPECT_EQ(t.channel, Channel::bot);
  EXPECT_EQ(t.requester, german.user.id);
  EXPECT_EQ(t.category, "Hardware > Drucker");
  EXPECT_EQ(t.subject, "Mein Drucker druckt nicht mehr");
  EXPECT_EQ(t.tags, (std::vector<std::string>{"bot", "printer"}));
  EXPECT_EQ(t.impact, 2) << "several colleagues affected";
  EXPECT_EQ(t.priority, Priority::p3) << "the flow's normal priority";
  auto timeline = ok(tickets->timeline(l1, t.id));
  ASSERT_FALSE(timeline.empty());
  ASSERT_TRUE(timeline.front().entry);
  const std::string d = timeline.front().entry->body;
  for (const char* part :
       {"Gerät: Kyocera 2. OG", "Betriebssystem: Windows 11", "Betroffen: mehrere Kollegen",
        "Seit wann: seit heute Morgen", "Ablauf: Drucker (printer)", "Kategorie Hardware > Drucker",
        "Priorität normal", "Line 1", "— Verlauf —", "Nutzer: Mein Drucker druckt nicht mehr",
        "Nutzer: Kyocera 2. OG", "Nutzer: seit heute Morgen",
        "Bot: Danke. Ich gebe das mit allen Angaben an den Service Desk weiter"})
    EXPECT_NE(d.find(part), std::string::npos) << part << "\n" << d;
  auto transcript = ok(bot->transcript(l1, s.session));
  EXPECT_EQ(transcript.session.ticket, t.id);
  EXPECT_GT(transcript.turns.size(), 10u);
}

TEST_F(BotTest, UrgentWordsRaiseTheTicketsPriority) {
  auto s = start(german);
  auto r = say(german, s, text("Dringend: mein Drucker druckt nicht mehr"));
  ASSERT_EQ(r.expecting, "slot") << all_text(r);
  for (auto in : {text("Kyocera 2. OG"), text("Windows 11"), press("offline"), press("no"),
                  press("no"), text("nur ich"), text("weiß nicht"), text("seit heute Morgen")})
    r = say(german, s, in);
  ASSERT_TRUE(r.ticket) << all_text(r);
  EXPECT_EQ(r.ticket->priority, Priority::p2) << "normal raised to high";
}

TEST_F(BotTest, AskingForAHumanHandsALoggedInCustomerOverAtOnce) {
  auto s = start(c1, "en");
  auto r = say(c1, s, text("My laptop makes a strange noise"));
  r = say(c1, s, press("human"));
  ASSERT_TRUE(r.ticket);
  EXPECT_EQ(r.status, BotSessionStatus::handed_off);
  Ticket t = ok(tickets->get(l1, r.ticket->id));
  EXPECT_EQ(t.subject, "My laptop makes a strange noise");
  ASSERT_FALSE(t.tags.empty());
  EXPECT_EQ(t.tags.front(), "bot");
  const std::string d = ok(tickets->timeline(l1, t.id)).front().entry->body;
  EXPECT_NE(d.find("Reason: the user asked for a person"), std::string::npos) << d;

  // Straight away, without a problem first: the ticket still has a subject.
  auto s2 = start(c1, "en");
  auto r2 = say(c1, s2, text("talk to a human"));
  ASSERT_TRUE(r2.ticket);
  EXPECT_EQ(r2.ticket->subject, "Request from the chatbot")
      << "a request for a person is no problem";
}

TEST_F(BotTest, AnAnonymousHandoffAsksForNameAndEmail) {
  auto s = start(Actor{}, "de");
  auto r = say(Actor{}, s, text("Ich möchte mit einem Mitarbeiter sprechen"));
  EXPECT_EQ(r.expecting, "name");
  EXPECT_FALSE(r.ticket);
  r = say(Actor{}, s, text("Erika Muster"));
  EXPECT_EQ(r.expecting, "email");
  r = say(Actor{}, s, text("keine adresse"));
  EXPECT_EQ(r.expecting, "email") << "an invalid address is asked again";
  r = say(Actor{}, s, text("l1@x.example"));
  EXPECT_EQ(r.expecting, "email") << "a staff member's address is not used";
  r = say(Actor{}, s, text("erika@acme.example"));
  ASSERT_TRUE(r.ticket) << all_text(r);
  auto users = ok(store->users_by_email("erika@acme.example"));
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].role, Role::customer);
  EXPECT_EQ(users[0].name, "Erika Muster");
  EXPECT_EQ(users[0].organization, acme.id);
  EXPECT_EQ(users[0].language, "de");
  EXPECT_EQ(r.ticket->requester, users[0].id);
  EXPECT_EQ(r.ticket->channel, Channel::bot);

  // The same address again finds the same customer.
  auto s2 = start(Actor{}, "en", "192.0.2.2");
  say(Actor{}, s2, press("human"));
  say(Actor{}, s2, text("Erika"));
  auto r2 = say(Actor{}, s2, text("erika@acme.example"));
  ASSERT_TRUE(r2.ticket);
  EXPECT_EQ(r2.ticket->requester, users[0].id);
}

TEST_F(BotTest, AKbAnswerConfirmedIsDeflectedAndCounted) {
  auto s = start(Actor{}, "de");
  auto r = say(Actor{}, s, text("Wie kann ich meinen Kalender für Kollegen freigeben?"));
  ASSERT_EQ(r.expecting, "yes_no") << all_text(r);
  const BotMessage* article = nullptr;
  for (const auto& m : r.messages)
    if (m.article) article = &m;
  ASSERT_NE(article, nullptr);
  EXPECT_EQ(article->article->id, calendar.id);
  EXPECT_EQ(article->article->url, "/portal/kb/articles/" + std::to_string(calendar.id));
  EXPECT_LE(bot::text_length(article->text), 300 + calendar.title.size() + 3);
  EXPECT_NE(article->text.find("Öffnen Sie Outlook im Web"), std::string::npos);
  EXPECT_EQ(article->text.find("**"), std::string::npos) << "plain text, not Markdown";
  EXPECT_NE(all_text(r).find("Hat das geholfen?"), std::string::npos);
  r = say(Actor{}, s, press("yes"));
  EXPECT_EQ(r.status, BotSessionStatus::deflected);
  clock.advance(31min);
  auto f = figures();
  EXPECT_EQ(f.sessions, 1);
  EXPECT_EQ(f.opened, 1);
  EXPECT_EQ(f.deflected, 1);
}

TEST_F(BotTest, TwoNosOfferAHandoffWithTheArticlesTried) {
  auto s = start(german, "de");
  auto r = say(german, s, text("Wie kann ich meinen Kalender für Kollegen freigeben?"));
  ASSERT_EQ(r.expecting, "yes_no") << all_text(r);
  r = say(german, s, text("nein"));
  ASSERT_EQ(r.expecting, "yes_no") << "the next best article";
  r = say(german, s, press("no"));
  EXPECT_EQ(r.expecting, "yes_no");
  EXPECT_NE(all_text(r).find("Service Desk"), std::string::npos) << all_text(r);
  r = say(german, s, press("yes"));
  ASSERT_TRUE(r.ticket);
  auto timeline = ok(tickets->timeline(l1, r.ticket->id));
  const std::string d = timeline.front().entry->body;
  EXPECT_NE(d.find("#" + std::to_string(calendar.id) + " " + calendar.title), std::string::npos)
      << d;
  auto f = figures();
  EXPECT_EQ(f.tickets_filed, 1) << "the session's deflection counts the ticket";
}

TEST_F(BotTest, TwoUnclearMessagesOfferAHandoff) {
  auto s = start(Actor{}, "en");
  auto r = say(Actor{}, s, text("qwertz asdfgh"));
  EXPECT_TRUE(has_button(r, "human"));
  EXPECT_NE(r.expecting, "yes_no");
  r = say(Actor{}, s, text("yxcvb poiuz"));
  EXPECT_EQ(r.expecting, "yes_no");
  r = say(Actor{}, s, text("yes"));
  EXPECT_EQ(r.expecting, "name");
}

TEST_F(BotTest, AGermanUserGetsGerman) {
  auto s = start(german);
  auto r = say(german, s, text("printer broken"));
  EXPECT_EQ(r.language, "de");
  EXPECT_EQ(ok(store->bot_session(s.session)).language, "de");
}

TEST_F(BotTest, ASessionIsBoundToItsUser) {
  auto s = start(c1, "en");
  auto other = bot->answer(c2, s.session, {}, text("hello"), nullptr);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::not_found);
  auto guest = bot->answer(Actor{}, s.session, {}, text("hello"), nullptr);
  ASSERT_FALSE(guest);
  EXPECT_EQ(guest.error().code, ErrorCode::not_found);
  EXPECT_FALSE(bot->transcript(c2, s.session));
  EXPECT_TRUE(bot->transcript(l1, s.session)) << "staff read transcripts";
  EXPECT_FALSE(bot->answer(c1, "no-such-session", {}, text("hi"), nullptr));
  EXPECT_FALSE(bot->answer(c1, s.session, {}, {}, nullptr)) << "neither text nor button";
}

TEST_F(BotTest, AnonymousSessionsAndMessagesAreRateLimited) {
  for (int i = 0; i < 10; ++i) start(Actor{}, "en", "203.0.113.5");
  std::chrono::seconds retry{0};
  auto refused = bot->start(Actor{}, {"203.0.113.5", ""}, "en", &retry);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::resource_exhausted);
  EXPECT_GT(retry.count(), 0);
  EXPECT_TRUE(bot->start(Actor{}, {"203.0.113.6", ""}, "en", nullptr)) << "another address";
  EXPECT_TRUE(bot->start(c1, {"203.0.113.5", ""}, "en", nullptr)) << "a user counts apart";
  clock.advance(61min);
  EXPECT_TRUE(bot->start(Actor{}, {"203.0.113.5", ""}, "en", nullptr));

  auto s = start(Actor{}, "en", "198.51.100.1");
  for (int i = 0; i < 30; ++i) {
    auto r = bot->answer(Actor{}, s.session, {}, text("hello"), nullptr);
    ASSERT_TRUE(r) << i << ": " << r.error().message;
  }
  auto limited = bot->answer(Actor{}, s.session, {}, text("hello"), &retry);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, ErrorCode::resource_exhausted);
  clock.advance(61s);
  EXPECT_TRUE(bot->answer(Actor{}, s.session, {}, text("hello"), nullptr));
}

// --- live hand-over ---------------------------------------------------------------------------

namespace {

// What the user's socket would be told.
struct HeardNews final : LiveChatListener {
  void on_news(const LiveChatNews& news) override { heard.push_back(news); }
  std::vector<LiveChatNews> heard;
};

}  // namespace

class LiveChatTest : public BotTest {
 protected:
  void SetUp() override {
    BotTest::SetUp();
    live = std::make_unique<LiveChatService>(
        *store, *tickets, *directory, clock,
        LiveChatOptions{.in_service_hours = [this](Timestamp) { return open; },
                        .wait_timeout = 300s,
                        .idle_timeout = 30min},
        [this](UserId u) { return online.contains(u); });
    bot->set_live_chat(live.get());
    hub = std::make_unique<LiveChatHub>(*store, *live);
    ASSERT_TRUE(hub->start_at(ok(store->latest_event_id())));
    online.insert(l1.user.id);
  }

  // c1 hands over and is offered the chat.
  BotReply handed_over(const BotReply& s) { return say(c1, s, text("talk to a human")); }

  bool open = true;
  std::set<UserId> online;
  std::unique_ptr<LiveChatService> live;
  std::unique_ptr<LiveChatHub> hub;
};

TEST_F(LiveChatTest, TheChatIsOfferedOnlyWithinServiceHoursWhileALineOneAgentIsThere) {
  auto r = handed_over(start(c1, "en"));
  ASSERT_TRUE(r.ticket);
  EXPECT_TRUE(has_button(r, "live")) << all_text(r);

  online.clear();  // nobody has the console open
  EXPECT_FALSE(has_button(handed_over(start(c1, "en")), "live"));
  online.insert(l2.user.id);  // line 2 does not take chats
  EXPECT_FALSE(has_button(handed_over(start(c1, "en")), "live"));
  online = {l1.user.id};
  ok(directory->set_availability(l1, l1.user.id, Availability::away));
  EXPECT_FALSE(has_button(handed_over(start(c1, "en")), "live")) << "away is not available";
  ok(directory->set_availability(l1, l1.user.id, Availability::available));
  open = false;
  EXPECT_FALSE(has_button(handed_over(start(c1, "en")), "live")) << "outside service hours";
  open = true;
  auto declined = handed_over(start(c1, "en"));
  auto no = say(c1, declined, press("no"));
  EXPECT_EQ(no.expecting, "nothing");
  EXPECT_FALSE(bot->answer(c1, declined.session, {"192.0.2.1", ""}, text("hello?"), nullptr))
      << "after declining, the conversation is over";
}

TEST_F(LiveChatTest, FromWaitingToAcceptedToLinesBothWaysToTheEnd) {
  auto s = start(c1, "en");
  auto offer = handed_over(s);
  const TicketId ticket = offer.ticket->id;
  auto waiting = say(c1, s, press("live"));
  ASSERT_TRUE(waiting.live);
  EXPECT_EQ(waiting.live->state, LiveChatStatus::waiting);
  EXPECT_EQ(waiting.expecting, "live");

  auto socket = std::make_shared<HeardNews>();
  ASSERT_TRUE(hub->watch(ticket, socket));

  // The desk sees it waiting; customers do not see the list.
  auto chats = ok(live->open_chats(l1));
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].ticket.id, ticket);
  EXPECT_EQ(chats[0].customer_name, "c1");
  EXPECT_EQ(live->open_chats(c1).error().code, ErrorCode::permission_denied);

  auto accepted = ok(live->accept(l1, ticket));
  EXPECT_EQ(accepted.chat.status, LiveChatStatus::active);
  EXPECT_EQ(accepted.ticket.assignee, l1.user.id) << "the agent who chats owns the ticket";
  EXPECT_EQ(live->accept(sup, ticket).error().code, ErrorCode::conflict) << "taken already";

  ok(live->agent_says(l1, ticket, "Hello, I am looking at your laptop now."));
  EXPECT_EQ(live->agent_says(sup, ticket, "me too").error().code, ErrorCode::conflict)
      << "only the agent who accepted writes";
  auto mine = say(c1, s, text("Thank you! It beeps three times."));
  EXPECT_EQ(mine.expecting, "live");
  ASSERT_TRUE(mine.live);
  EXPECT_EQ(mine.live->state, LiveChatStatus::active);
  EXPECT_EQ(mine.live->agent, "l1");

  ok(hub->poll());
  ASSERT_EQ(socket->heard.size(), 3u)
      << "waiting, accepted, then the agent's line (not the user's own)";
  EXPECT_EQ(socket->heard[0].state, LiveChatStatus::waiting);
  EXPECT_EQ(socket->heard[1].kind, LiveChatNews::Kind::state);
  EXPECT_EQ(socket->heard[1].state, LiveChatStatus::active);
  EXPECT_EQ(socket->heard[1].agent, "l1");
  EXPECT_EQ(socket->heard[2].kind, LiveChatNews::Kind::line);
  EXPECT_EQ(socket->heard[2].line.text, "Hello, I am looking at your laptop now.");

  // The lines are public replies on the ticket, marked as chat and not mailed.
  auto view = ok(live->view(l1, ticket));
  ASSERT_EQ(view.lines.size(), 2u);
  EXPECT_EQ(view.lines[0].from, "agent");
  EXPECT_EQ(view.lines[1].from, "user");
  EXPECT_EQ(view.lines[1].text, "Thank you! It beeps three times.");
  int chat_lines = 0;
  for (const auto& e : ok(store->events_after(0, 1000)))
    if (e.ticket == ticket && e.type == event_type::entry_added &&
        e.payload.find("\"chat\":true") != std::string::npos)
      ++chat_lines;
  EXPECT_EQ(chat_lines, 2);

  auto ended = say(c1, s, press("end_live"));
  EXPECT_EQ(ended.expecting, "nothing");
  ASSERT_TRUE(ended.live);
  EXPECT_EQ(ended.live->state, LiveChatStatus::ended);
  ok(hub->poll());
  ASSERT_EQ(socket->heard.size(), 4u);
  EXPECT_EQ(socket->heard[3].state, LiveChatStatus::ended);
  EXPECT_EQ(socket->heard[3].ended_by, "customer");
  EXPECT_TRUE(ok(live->open_chats(l1)).empty());
  EXPECT_EQ(live->agent_says(l1, ticket, "still there?").error().code, ErrorCode::conflict);
  EXPECT_FALSE(bot->answer(c1, s.session, {"192.0.2.1", ""}, text("hello?"), nullptr));
}

TEST_F(LiveChatTest, AChatNobodyTakesEndsAndWhatTheUserWritesThenGoesToTheTicket) {
  auto s = start(c1, "en");
  const TicketId ticket = handed_over(s).ticket->id;
  say(c1, s, press("live"));
  clock.advance(299s);
  EXPECT_EQ(ok(live->expire()), 0);
  clock.advance(2s);
  EXPECT_EQ(ok(live->expire()), 1);
  EXPECT_EQ(ok(store->live_chat(ticket)).ended_by, "timeout");
  EXPECT_EQ(live->accept(l1, ticket).error().code, ErrorCode::conflict);

  auto late = say(c1, s, text("Is anybody there?"));
  EXPECT_EQ(late.expecting, "nothing");
  ASSERT_TRUE(late.live);
  EXPECT_EQ(late.live->state, LiveChatStatus::ended);
  const auto entries = ok(store->entries(ticket));
  EXPECT_EQ(entries.back().body, "Is anybody there?") << "nothing the user wrote is lost";
  EXPECT_EQ(entries.back().author, c1.user.id);
}

TEST_F(LiveChatTest, AnAcceptedChatWhereNobodyWritesEnds) {
  auto s = start(c1, "en");
  const TicketId ticket = handed_over(s).ticket->id;
  say(c1, s, press("live"));
  ok(live->accept(l1, ticket));
  clock.advance(20min);
  ok(live->agent_says(l1, ticket, "Are you still there?"));
  clock.advance(29min);
  EXPECT_EQ(ok(live->expire()), 0) << "counted from the last line";
  clock.advance(2min);
  EXPECT_EQ(ok(live->expire()), 1);
  EXPECT_EQ(ok(store->live_chat(ticket)).ended_by, "idle");
}

TEST_F(LiveChatTest, OnlyStaffWhoSeeTheTicketReachItsChat) {
  auto s = start(c1, "en");
  const TicketId ticket = handed_over(s).ticket->id;
  say(c1, s, press("live"));
  EXPECT_FALSE(live->accept(c1, ticket));
  EXPECT_FALSE(live->accept(va, ticket)) << "a vendor does not see a line-1 ticket";
  EXPECT_FALSE(live->view(c2, ticket));
  EXPECT_TRUE(ok(live->open_chats(va)).empty());
}

TEST_F(LiveChatTest, ConversationsLeftAloneCountAsAbandoned) {
  auto idle = start(c1, "en");
  clock.advance(2h);
  auto fresh = start(c1, "en");
  EXPECT_EQ(ok(store->abandon_idle_bot_sessions(clock.now() - 1h)), 1);
  EXPECT_EQ(ok(store->bot_session(idle.session)).status, BotSessionStatus::abandoned);
  EXPECT_EQ(ok(store->bot_session(fresh.session)).status, BotSessionStatus::open);
  auto late = bot->answer(c1, idle.session, {"192.0.2.1", ""}, text("printer"), nullptr);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::failed_precondition);
}

// --- clarifying: flows and articles compete fairly for the buttons ---------------------------

// Every flow a candidate and no flow confident: without fairness the flows alone would fill the
// three buttons. Flows and articles are merged by confidence, an article the search found keeps
// a button, and "talk to a person" is always there.
TEST_F(BotTest, ClarifyingKeepsAGoodArticleAmongFlowsOrderedByConfidence) {
  UnderstandingThresholds t;
  t.flow = 1.01;              // never start a flow
  t.article_coverage = 1.01;  // never answer with an article
  t.candidate = 0.0;          // every flow is worth a button
  t.good_article = 0.0;       // any article found keeps a button
  auto eager = std::make_shared<const BotUnderstanding>(
      ok(BotUnderstanding::create(shipped(), *search, t)));
  const std::string question = "Kalender freigeben Drucker Kollegen";
  auto u = ok(eager->understand(Actor{}, question, "de", "de"));
  ASSERT_EQ(u.kind, Understanding::Kind::clarify);
  ASSERT_EQ(u.choices.size(), 3u);
  EXPECT_FALSE(u.articles.empty()) << "an article keeps a button";
  EXPECT_EQ(u.flows.size() + u.articles.size(), 3u);
  double previous_flow = 1;
  for (const auto& choice : u.choices) {
    if (!choice.is_flow) continue;
    EXPECT_LE(choice.confidence, previous_flow) << "the flows best first";
    previous_flow = choice.confidence;
  }

  BotBrain fixed(eager);
  BotService eager_bot(*store, fixed, *tickets, *deflection, *directory, ids, clock);
  auto s = ok(eager_bot.start(german, {"192.0.2.1", ""}, "de", nullptr));
  auto r = ok(eager_bot.answer(german, s.session, {"192.0.2.1", ""}, {.text = question}, nullptr));
  EXPECT_TRUE(std::ranges::any_of(r.buttons, [](const BotButton& b) {
    return b.id.starts_with("article:");
  }));
  EXPECT_TRUE(has_button(r, "human"));
  EXPECT_LE(r.buttons.size(), 4u);
  // The buttons in the understanding's order.
  for (std::size_t i = 0; i < u.choices.size(); ++i)
    EXPECT_EQ(r.buttons[i].id.starts_with("flow:"), u.choices[i].is_flow) << i;
}

// The same with the shipped thresholds: an article the search found is among the buttons when
// flows are only candidates.
TEST_F(BotTest, ClarifyingWithTheShippedThresholdsOffersTheArticleFound) {
  auto u = understand("Kalender Problem seltsam", german, "de");
  ASSERT_EQ(u.kind, Understanding::Kind::clarify);
  EXPECT_LE(u.choices.size(), 3u);
  EXPECT_FALSE(u.articles.empty());
}

// --- learning while serving (app/bot_brain.hpp) ----------------------------------------------

namespace {

// A flow none of the shipped ones is about.
constexpr std::string_view kParkingFlow = R"({
  "id": "parking",
  "title": {"de": "Schranke der Tiefgarage", "en": "Car park barrier"},
  "examples": {
    "de": ["Die Schranke der Tiefgarage öffnet nicht", "Tiefgaragenschranke geht nicht auf",
           "Schranke Parkhaus klemmt", "komme nicht in die Tiefgarage, Schranke zu",
           "Parkhausschranke reagiert nicht auf meinen Ausweis", "Schranke bleibt unten"],
    "en": ["the car park barrier does not open", "garage barrier won't lift",
           "parking gate stuck", "can't get into the car park, the barrier stays down",
           "car park gate ignores my badge", "barrier stays closed"]
  },
  "handoff": {"category": "Gebäude > Parken"},
  "start": "badge",
  "nodes": {
    "badge": {"type": "step", "say": {"de": "Halten Sie den Ausweis flach an den Leser.",
                                      "en": "Hold your badge flat against the reader."},
              "unsolved": "human"},
    "human": {"type": "end", "outcome": "handoff",
              "say": {"de": "Ich gebe das weiter.", "en": "I am passing this on."}}
  }
})";

}  // namespace

class BotBrainTest : public BotTest {
 protected:
  void SetUp() override {
    BotTest::SetUp();
    admin = person("brain_admin", Role::admin, std::nullopt, {});
    catalog = std::make_unique<BotFlowCatalog>(*store, clock, bot::shipped_flows());
    ASSERT_TRUE(catalog->start());
    learning = ok(BotBrain::learning(*store, *catalog, *search,
                                     {.poll_interval = 20ms, .quiet = 10ms}));
    learner = std::make_unique<BotService>(*store, *learning, *tickets, *deflection, *directory,
                                           ids, clock);
  }
  void TearDown() override {
    learner.reset();
    learning.reset();
    BotTest::TearDown();
  }
  BotReply tell(const BotReply& session, BotInput in) {
    return ok(learner->answer(german, session.session, {"192.0.2.1", ""}, in, nullptr));
  }

  Actor admin;
  std::unique_ptr<BotFlowCatalog> catalog;
  std::unique_ptr<BotBrain> learning;
  std::unique_ptr<BotService> learner;
};

TEST_F(BotBrainTest, AFlowAddedInTheCatalogAnswersTheNextMessage) {
  const std::string problem = "Die Schranke der Tiefgarage öffnet nicht";
  auto before = learning->current();
  EXPECT_EQ(before->flow("parking"), nullptr);
  EXPECT_FALSE(ok(learning->refresh())) << "nothing changed yet";

  ok(catalog->create(admin, kParkingFlow, true));
  EXPECT_TRUE(ok(learning->refresh()));
  EXPECT_FALSE(ok(learning->refresh())) << "the save's event in the feed is no second change";

  auto s = ok(learner->start(german, {"192.0.2.1", ""}, "de", nullptr));
  EXPECT_TRUE(has_button(s, "flow:parking")) << "the greeting offers it";
  auto r = tell(s, {.text = problem});
  EXPECT_NE(all_text(r).find("Ausweis flach an den Leser"), std::string::npos) << all_text(r);
  EXPECT_EQ(r.expecting, "yes_no");

  // A snapshot taken before the change still answers, with the flows it had.
  EXPECT_NE(before, learning->current());
  ASSERT_NE(before->flow("printer"), nullptr);
  EXPECT_EQ(before->flow("parking"), nullptr);
  auto old = ok(before->understand(german, "Mein Drucker druckt nicht mehr", "de", "de"));
  EXPECT_EQ(old.intent, "printer");
}

TEST_F(BotBrainTest, AFlowEditedOrSwitchedOffCountsWhileAConversationGoesOn) {
  // A conversation in the printer flow, then an admin edits the flow: the conversation goes on
  // (the state names the flow and node by id), and the new text is what the next answers use.
  auto s = ok(learner->start(german, {"192.0.2.1", ""}, "de", nullptr));
  auto first = tell(s, {.text = "Mein Drucker druckt nicht mehr"});
  ASSERT_EQ(first.expecting, "slot") << all_text(first);
  auto doc = ok(catalog->get(admin, "printer"));
  std::string edited = doc.record.json;
  const std::string was = R"("de": "Was passiert?")";
  ASSERT_NE(edited.find(was), std::string::npos);
  edited.replace(edited.find(was), was.size(), R"("de": "Was genau passiert?")");
  ok(catalog->save(admin, "printer", edited, doc.record.version, std::nullopt));
  EXPECT_TRUE(ok(learning->refresh()));
  EXPECT_EQ(learning->current()->flow("printer")->node("symptom")->say.de, "Was genau passiert?");
  auto next = tell(first, {.text = "HP LaserJet im 2. OG"});
  EXPECT_EQ(next.status, BotSessionStatus::open);
  EXPECT_FALSE(next.ticket.has_value()) << all_text(next);

  // Switched off: the classifier no longer starts it.
  auto now = ok(catalog->get(admin, "printer"));
  ok(catalog->set_active(admin, "printer", false, now.record.version));
  EXPECT_TRUE(ok(learning->refresh()));
  EXPECT_EQ(learning->current()->flow("printer"), nullptr);
  auto u =
      ok(learning->current()->understand(german, "Mein Drucker druckt nicht mehr", "de", "de"));
  EXPECT_NE(u.intent, "printer");
}

// Another server on the same database saves a flow: only the event feed tells this one.
TEST_F(BotBrainTest, AFlowSavedByAnotherServerIsLearntFromTheFeed) {
  BotFlowCatalog other(*store, clock, bot::shipped_flows());
  ASSERT_TRUE(other.start());
  ok(other.create(admin, kParkingFlow, true));
  EXPECT_EQ(catalog->active_flows()->flows.count("parking"), 0u);
  EXPECT_TRUE(ok(learning->refresh()));
  EXPECT_EQ(catalog->active_flows()->flows.count("parking"), 1u) << "the catalog reloaded";
  ASSERT_NE(learning->current()->flow("parking"), nullptr);
  auto u = ok(learning->current()->understand(german, "Die Schranke der Tiefgarage öffnet nicht",
                                              "de", "de"));
  EXPECT_EQ(u.intent, "parking");
}

TEST_F(BotBrainTest, AnArticlePublishedWhileServingIsLearntAndAnswers) {
  auto before = learning->current();
  auto room = ok(kb->create(
      sup, {.title = "Besprechungsraum buchen",
            .body = "Einen Besprechungsraum buchen Sie in Outlook: neuer Termin, Raum "
                    "hinzufügen, einen freien Raum wählen und die Einladung senden.",
            .language = "de",
            .status = ArticleStatus::published}));
  ok(search->catch_up());
  EXPECT_TRUE(ok(learning->refresh())) << "article.saved in the feed";
  EXPECT_NE(before, learning->current());
  auto s = ok(learner->start(german, {"192.0.2.1", ""}, "de", nullptr));
  auto r = tell(s, {.text = "Besprechungsraum buchen"});
  EXPECT_TRUE(std::ranges::any_of(r.messages, [&](const BotMessage& m) {
    return m.article && m.article->id == room.id;
  }) || has_button(r, "article:" + std::to_string(room.id))) << all_text(r);
}

// The thread: a change is learnt without anyone calling refresh(), and answers meanwhile go on.
TEST_F(BotBrainTest, TheThreadLearnsABurstOfChangesOnItsOwn) {
  learning->start();
  auto before = learning->current();
  ok(catalog->create(admin, kParkingFlow, true));
  auto doc = ok(catalog->get(admin, "parking"));
  ok(catalog->set_active(admin, "parking", true, doc.record.version));
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (learning->current()->flow("parking") == nullptr &&
         std::chrono::steady_clock::now() < deadline) {
    EXPECT_NE(learning->current(), nullptr);
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_NE(learning->current()->flow("parking"), nullptr);
  learning->stop();
  learning->stop();  // idempotent
}

}  // namespace fl::testing
