// A report (core/report.hpp) in JSON and CSV (docs/reports.md), the same for every report:
// the service-desk reports and the staffing report.
#pragma once

#include <boost/json.hpp>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "core/report.hpp"
#include "http/message.hpp"

namespace fl::http {

// A number, a text, or null (nothing, or a measure that is not finite).
[[nodiscard]] boost::json::value to_json(const ReportValue& v);
// {from, to, figures, tables} of one period.
[[nodiscard]] boost::json::object report_json(const Report& report, const ReportFilter& filter);

// `text/csv`: the figures (`figure,value`, and `previous` beside them when given), or with
// `table` that table's rows under its columns; an unknown table is a 422 naming the tables.
// Text a spreadsheet would run as a formula starts with an apostrophe.
[[nodiscard]] std::expected<Response, Response> report_csv(const Report& report,
                                                           const ReportFilter& filter,
                                                           const Report* previous,
                                                           std::optional<std::string_view> table);

}  // namespace fl::http
