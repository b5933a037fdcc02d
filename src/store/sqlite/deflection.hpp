// Deflection measurement rows: sessions, the articles shown and opened, the ticket that
// followed, and the figures over a period.
#pragma once

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

[[nodiscard]] Result<void> start_deflection_session(Connection& c, const DeflectionSession& session,
                                                    const std::vector<ArticleId>& suggested);
[[nodiscard]] Result<void> record_deflection_open(Connection& c, std::string_view session,
                                                  ArticleId article, Timestamp at);
[[nodiscard]] Result<void> record_deflection_ticket(Connection& c,
                                                    std::optional<std::string_view> session,
                                                    std::optional<UserId> user, TicketId ticket,
                                                    Timestamp since, Timestamp at);
// The session counts only (no per-article list).
[[nodiscard]] Result<DeflectionFigures> load_deflection_totals(Connection& c, Timestamp from,
                                                               Timestamp to, Timestamp now,
                                                               std::chrono::milliseconds window);
[[nodiscard]] Result<DeflectionFigures> load_deflection_figures(Connection& c, Timestamp from,
                                                                Timestamp to, Timestamp now,
                                                                std::chrono::milliseconds window);

}  // namespace fl::sqlite
