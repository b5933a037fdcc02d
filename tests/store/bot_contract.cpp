// The Store contract for chatbot conversations: every field kept, turns in order, a raced turn
// refused as a whole, unknown sessions, and the counts the rate limits read. Runs against every
// adapter (see store_contract.hpp).
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {

namespace {

BotSession draft_session(const std::string& id, std::optional<UserId> user = {}) {
  BotSession s;
  s.id = id;
  s.user = user;
  s.language = "de";
  s.state = R"({"phase":"greeted"})";
  s.client_key = "ip:192.0.2.7";
  s.created_at = at(1000);
  s.updated_at = at(1000);
  return s;
}

BotTurn turn(int seq, BotSpeaker who, std::string text, std::int64_t ms = 1000) {
  return BotTurn{"", seq, at(ms), who, std::move(text), R"({"buttons":[]})"};
}

TEST_P(BotContract, ASessionKeepsEveryFieldAndItsTurnsInOrder) {
  BotSession s = draft_session("tok-1", customer_.id);
  must(store().insert_bot_session(s, {turn(1, BotSpeaker::bot, "Hallo!")}), "insert");
  BotSession loaded = must(store().bot_session("tok-1"), "load");
  EXPECT_EQ(loaded.id, "tok-1");
  EXPECT_EQ(loaded.user, customer_.id);
  EXPECT_EQ(loaded.language, "de");
  EXPECT_EQ(loaded.status, BotSessionStatus::open);
  EXPECT_EQ(loaded.state, s.state);
  EXPECT_EQ(loaded.ticket, std::nullopt);
  EXPECT_EQ(loaded.deflection_session, "");
  EXPECT_EQ(loaded.client_key, "ip:192.0.2.7");
  EXPECT_EQ(loaded.created_at, at(1000));
  EXPECT_EQ(loaded.updated_at, at(1000));

  Ticket t = create(draft_ticket("Drucker")).ticket;
  s.language = "en";
  s.status = BotSessionStatus::handed_off;
  s.state = R"({"phase":"ended"})";
  s.ticket = t.id;
  s.deflection_session = "defl-1";
  s.updated_at = at(5000);
  must(store().update_bot_session(s, {turn(2, BotSpeaker::user, "printer", 4000),
                                      turn(3, BotSpeaker::bot, "Ticket T-1", 5000)}),
       "update");
  loaded = must(store().bot_session("tok-1"), "load");
  EXPECT_EQ(loaded.language, "en");
  EXPECT_EQ(loaded.status, BotSessionStatus::handed_off);
  EXPECT_EQ(loaded.state, R"({"phase":"ended"})");
  EXPECT_EQ(loaded.ticket, t.id);
  EXPECT_EQ(loaded.deflection_session, "defl-1");
  EXPECT_EQ(loaded.created_at, at(1000));
  EXPECT_EQ(loaded.updated_at, at(5000));

  auto turns = must(store().bot_turns("tok-1"), "turns");
  ASSERT_EQ(turns.size(), 3u);
  EXPECT_EQ(turns[0].text, "Hallo!");
  EXPECT_EQ(turns[0].who, BotSpeaker::bot);
  EXPECT_EQ(turns[1].text, "printer");
  EXPECT_EQ(turns[1].who, BotSpeaker::user);
  EXPECT_EQ(turns[1].at, at(4000));
  EXPECT_EQ(turns[2].seq, 3);
  EXPECT_EQ(turns[2].payload, R"({"buttons":[]})");
  EXPECT_EQ(turns[2].session, "tok-1");
}

TEST_P(BotContract, AnAnonymousSessionHasNoUser) {
  must(store().insert_bot_session(draft_session("anon"), {}), "insert");
  EXPECT_EQ(must(store().bot_session("anon"), "load").user, std::nullopt);
  EXPECT_TRUE(must(store().bot_turns("anon"), "turns").empty());
}

TEST_P(BotContract, ATakenIdIsAConflict) {
  must(store().insert_bot_session(draft_session("same"), {}), "insert");
  EXPECT_EQ(code_of(store().insert_bot_session(draft_session("same"), {})), ErrorCode::conflict);
}

TEST_P(BotContract, ARacedTurnRefusesTheWholeWrite) {
  BotSession s = draft_session("race");
  must(store().insert_bot_session(s, {turn(1, BotSpeaker::bot, "hi")}), "insert");
  s.state = R"({"phase":"loser"})";
  EXPECT_EQ(code_of(store().update_bot_session(
                s, {turn(2, BotSpeaker::user, "new"), turn(1, BotSpeaker::bot, "again")})),
            ErrorCode::conflict);
  EXPECT_EQ(must(store().bot_session("race"), "load").state, R"({"phase":"greeted"})");
  EXPECT_EQ(must(store().bot_turns("race"), "turns").size(), 1u);
}

TEST_P(BotContract, UnknownSessionsAreNotFound) {
  EXPECT_EQ(code_of(store().bot_session("nope")), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().bot_turns("nope")), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().update_bot_session(draft_session("nope"), {})), ErrorCode::not_found);
}

TEST_P(BotContract, AnUnknownUserIsRefused) {
  EXPECT_EQ(code_of(store().insert_bot_session(draft_session("x", 987654), {})),
            ErrorCode::invalid_argument);
}

TEST_P(BotContract, CountsForRateLimitsLookOnlyAtTheirKeyAndPeriod) {
  for (int i = 0; i < 3; ++i) {
    BotSession s = draft_session("k" + std::to_string(i));
    s.created_at = at(1000 * (i + 1));
    must(store().insert_bot_session(s, {}), "insert");
  }
  BotSession other = draft_session("other");
  other.client_key = "ip:198.51.100.1";
  must(store().insert_bot_session(other, {}), "insert");
  EXPECT_EQ(must(store().count_bot_sessions("ip:192.0.2.7", at(0)), "count"), 3);
  EXPECT_EQ(must(store().count_bot_sessions("ip:192.0.2.7", at(2000)), "count"), 2);
  EXPECT_EQ(must(store().count_bot_sessions("ip:198.51.100.1", at(0)), "count"), 1);

  BotSession s = must(store().bot_session("k0"), "load");
  must(store().update_bot_session(
           s, {turn(1, BotSpeaker::bot, "hi", 100), turn(2, BotSpeaker::user, "a", 200),
               turn(3, BotSpeaker::bot, "b", 300), turn(4, BotSpeaker::user, "c", 400)}),
       "update");
  EXPECT_EQ(must(store().count_bot_user_turns("k0", at(0)), "count"), 2);
  EXPECT_EQ(must(store().count_bot_user_turns("k0", at(300)), "count"), 1);
  EXPECT_EQ(must(store().count_bot_user_turns("k1", at(0)), "count"), 0);
}

TEST_P(BotContract, IdleOpenSessionsBecomeAbandonedOthersStay) {
  BotSession idle = draft_session("idle");
  must(store().insert_bot_session(idle, {}), "insert");
  BotSession recent = draft_session("recent");
  recent.updated_at = at(9000);
  must(store().insert_bot_session(recent, {}), "insert");
  BotSession done = draft_session("done");
  done.status = BotSessionStatus::deflected;
  must(store().insert_bot_session(done, {}), "insert");
  EXPECT_EQ(must(store().abandon_idle_bot_sessions(at(5000)), "abandon"), 1);
  EXPECT_EQ(must(store().bot_session("idle"), "load").status, BotSessionStatus::abandoned);
  EXPECT_EQ(must(store().bot_session("recent"), "load").status, BotSessionStatus::open);
  EXPECT_EQ(must(store().bot_session("done"), "load").status, BotSessionStatus::deflected);
}

Event chat_event(TicketId ticket) {
  Event e;
  e.type = event_type::live_chat;
  e.ticket = ticket;
  e.at = at(2000);
  e.payload = R"({"state":"waiting"})";
  return e;
}

TEST_P(BotContract, ATicketHasOneLiveChatAtATimeAndAChangeNeedsTheStateItWasIn) {
  Ticket t = create(draft_ticket("Drucker")).ticket;
  BotSession s = draft_session("chat-1", customer_.id);
  must(store().insert_bot_session(s, {}), "insert");
  must(store().insert_bot_session(draft_session("chat-2", customer_.id), {}), "insert");
  EXPECT_EQ(code_of(store().live_chat(t.id)), ErrorCode::not_found);

  LiveChat chat{.session = "chat-1", .ticket = t.id, .language = "de", .requested_at = at(2000)};
  const EventId before = must(store().latest_event_id(), "latest");
  must(store().insert_live_chat(chat, chat_event(t.id)), "insert chat");
  EXPECT_EQ(must(store().latest_event_id(), "latest"), before + 1) << "the event goes with it";
  LiveChat second = chat;
  second.session = "chat-2";
  EXPECT_EQ(code_of(store().insert_live_chat(second, chat_event(t.id))), ErrorCode::conflict);

  LiveChat taken = chat;
  taken.status = LiveChatStatus::active;
  taken.agent = agent_.id;
  taken.accepted_at = at(3000);
  must(store().update_live_chat(taken, LiveChatStatus::waiting, chat_event(t.id)), "accept");
  EXPECT_EQ(code_of(store().update_live_chat(taken, LiveChatStatus::waiting, chat_event(t.id))),
            ErrorCode::conflict)
      << "a second agent accepting loses";
  LiveChat loaded = must(store().live_chat(t.id), "load");
  EXPECT_EQ(loaded.session, "chat-1");
  EXPECT_EQ(loaded.status, LiveChatStatus::active);
  EXPECT_EQ(loaded.agent, agent_.id);
  EXPECT_EQ(loaded.language, "de");
  EXPECT_EQ(loaded.requested_at, at(2000));
  EXPECT_EQ(loaded.accepted_at, at(3000));
  EXPECT_EQ(loaded.ended_at, std::nullopt);
  ASSERT_EQ(must(store().open_live_chats(), "open").size(), 1u);

  LiveChat ended = taken;
  ended.status = LiveChatStatus::ended;
  ended.ended_by = "agent";
  ended.ended_at = at(4000);
  must(store().update_live_chat(ended, LiveChatStatus::active, chat_event(t.id)), "end");
  EXPECT_TRUE(must(store().open_live_chats(), "open").empty());
  EXPECT_EQ(must(store().live_chat(t.id), "load").ended_by, "agent");

  // Ended, the ticket may have a new chat; the newest is the ticket's chat.
  second.requested_at = at(5000);
  must(store().insert_live_chat(second, chat_event(t.id)), "a new chat");
  EXPECT_EQ(must(store().live_chat(t.id), "load").session, "chat-2");
}

}  // namespace

}  // namespace fl::store_contract
