// The scenario file: its forms, its errors (each naming the key), and `firstline simulate`'s
// output and exit codes on the shipped example.
#include "staffing/scenario_file.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "staffing/simulate_command.hpp"

namespace fl::staffing {
namespace {

const std::string kExample = std::string(FL_SOURCE_DIR) + "/examples/staffing/desk-week.toml";

// The smallest valid file: a constant rate and one line.
const std::string kMinimal = R"(
[arrivals]
per_hour = 12
[lines.1]
aht_minutes = 5
agents = 2
)";

std::string error_of(const std::string& text) {
  auto r = parse_scenario(text);
  return r ? std::string("(parsed)") : r.error().message;
}

TEST(ScenarioFile, Minimal) {
  auto f = parse_scenario(kMinimal);
  ASSERT_TRUE(f) << f.error().message;
  const Scenario& s = f->scenario;
  EXPECT_EQ(s.arrivals_per_hour[0], 12);
  EXPECT_EQ(s.arrivals_per_hour[167], 12);
  EXPECT_EQ(s.desk(Desk::line1).aht_minutes, 5);
  EXPECT_EQ(s.desk(Desk::line1).agents[100], 2);
  EXPECT_EQ(s.desk(Desk::line1).escalation, 0);  // first-contact resolution defaults to 1
  EXPECT_EQ(s.desk(Desk::line1).answer_within_seconds, 20);
  EXPECT_EQ(s.after_hours, AfterHours::queue);
  EXPECT_TRUE(s.open[3]);
  EXPECT_TRUE(f->what_if.empty());
}

TEST(ScenarioFile, TheExampleParses) {
  auto f = load_scenario(kExample);
  ASSERT_TRUE(f) << f.error().message;
  const Scenario& s = f->scenario;
  EXPECT_EQ(s.name, "Desk week (example)");
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.arrivals_per_hour[hour_of_week(0, 10)], 58);  // Monday 10:00
  EXPECT_EQ(s.arrivals_per_hour[hour_of_week(5, 3)], 1);    // Saturday
  EXPECT_TRUE(s.open[hour_of_week(4, 18)]);
  EXPECT_FALSE(s.open[hour_of_week(4, 19)]);
  EXPECT_FALSE(s.open[hour_of_week(5, 10)]);
  EXPECT_NEAR(s.desk(Desk::line1).escalation, 0.25, 1e-12);
  EXPECT_EQ(s.desk(Desk::partner).shape, HandlingShape::lognormal);
  EXPECT_EQ(s.outsourced_share, 0.25);
  EXPECT_EQ(s.desk(Desk::line2).answer_within_seconds, 7200);
  EXPECT_EQ(s.target.shrinkage, 0.3);
  EXPECT_EQ(f->what_if.deflection, 0.35);
  EXPECT_EQ(f->what_if.first_contact_resolution, 0.8);
}

TEST(ScenarioFile, WeekGridForms) {
  auto daily = parse_scenario(R"(
[arrivals]
per_hour = [0,0,0,0,0,0,0,0,10,20,20,20,20,20,20,20,20,10,0,0,0,0,0,0]
[lines.1]
aht_minutes = 5
agents = { mon = 3, fri = [0,0,0,0,0,0,0,0,2,2,2,2,2,2,2,2,2,2,0,0,0,0,0,0] }
)");
  ASSERT_TRUE(daily) << daily.error().message;
  EXPECT_EQ(daily->scenario.arrivals_per_hour[hour_of_week(3, 9)], 20);
  EXPECT_EQ(daily->scenario.arrivals_per_hour[hour_of_week(3, 2)], 0);
  EXPECT_EQ(daily->scenario.desk(Desk::line1).agents[hour_of_week(0, 2)], 3);
  EXPECT_EQ(daily->scenario.desk(Desk::line1).agents[hour_of_week(4, 8)], 2);
  EXPECT_EQ(daily->scenario.desk(Desk::line1).agents[hour_of_week(2, 10)], 0);  // no Wednesday

  std::string week = "[arrivals]\nper_hour = [";
  for (int h = 0; h < 168; ++h) week += (h ? ", " : "") + std::to_string(h % 7);
  week += "]\n[lines.1]\naht_minutes = 1\nagents = 5\n";
  auto full = parse_scenario(week);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->scenario.arrivals_per_hour[166], 166 % 7);
}

TEST(ScenarioFile, ErrorsNameTheKey) {
  const std::string lines2 = kMinimal + R"(
[lines.2]
aht_minutes = 0
agents = 1
)";
  EXPECT_EQ(error_of(lines2), "lines.2.aht_minutes: must be > 0");
  EXPECT_EQ(error_of(kMinimal + "[line0]\ndeflection = 1.5\n"),
            "line0.deflection: must be in [0, 1]");
  EXPECT_EQ(error_of(kMinimal + "[line0]\ndeflection = \"high\"\n"),
            "line0.deflection: must be a number");
  EXPECT_EQ(error_of(kMinimal + "[line0]\ndeflektion = 0.2\n"), "line0.deflektion: unknown key");
  EXPECT_EQ(error_of("[arrivals]\nper_hour = 1\n"), "lines: missing ([lines.1] at least)");
  EXPECT_EQ(error_of("[lines.1]\naht_minutes = 5\nagents = 1\n"),
            "arrivals: missing ([arrivals] with per_hour)");
  EXPECT_EQ(error_of("[arrivals]\nper_hour = [1, 2, 3]\n[lines.1]\naht_minutes = 5\nagents = 1\n"),
            "arrivals.per_hour: expected a number, 24 or 168 numbers, or a table of days (mon ... "
            "sun)");
  EXPECT_EQ(
      error_of("[arrivals]\nper_hour = { monday = 3 }\n[lines.1]\naht_minutes = 5\nagents = 1\n"),
      "arrivals.per_hour.monday: unknown day (mon ... sun)");
  EXPECT_EQ(error_of("[arrivals]\nper_hour = 1\n[lines.1]\naht_minutes = 5\nagents = 1.5\n"),
            "lines.1.agents: hour 0: expected a whole number >= 0");
  EXPECT_EQ(error_of("[arrivals]\nper_hour = 1\n[lines.1]\nagents = 1\n"),
            "lines.1.aht_minutes: missing");
  EXPECT_EQ(error_of(kMinimal + "[lines.1.x]\n"), "lines.1.x: unknown key");
  // Line 1 escalates, but there is no line 2.
  EXPECT_EQ(error_of("[arrivals]\nper_hour = 1\n[lines.1]\naht_minutes = 5\nagents = 1\n"
                     "first_contact_resolution = 0.7\n"),
            "lines.2.agents: receives tickets but no agent is ever on duty in business hours");
  EXPECT_EQ(error_of(kMinimal + "[lines.4]\naht_minutes = 5\nagents = 1\nescalation = 0.1\n"),
            "lines.4.escalation: unknown key");
  EXPECT_EQ(error_of(kMinimal + "[lines.5]\n"), "lines.5: unknown key");
  EXPECT_EQ(error_of(kMinimal + "[partner]\nshare = 0.3\naht_minutes = 5\nagents = 0\n"),
            "partner.agents: receives tickets but no agent is ever on duty in business hours");
  EXPECT_EQ(error_of(R"(
[arrivals]
per_hour = 1
[lines.1]
aht_minutes = 5
agents = 1
cv = 2
)"),
            "lines.1.cv: only with handling = \"lognormal\"");
  EXPECT_EQ(error_of(kMinimal + "[business_hours]\ndays = [\"mon\"]\nopen = 18\nclose = 8\n"),
            "business_hours.close: must be after open");
  EXPECT_EQ(error_of(kMinimal + "[business_hours]\ndays = [\"mo\"]\n"),
            "business_hours.days: unknown day (mon ... sun)");
  EXPECT_EQ(error_of("after_hours = \"drop\"\n" + kMinimal),
            "after_hours: must be \"queue\" or \"reject\"");
  EXPECT_EQ(error_of("run_hours = 0\n" + kMinimal), "run_hours: must be > 0");
  EXPECT_EQ(error_of(kMinimal + "[target]\nservice_level = 1\n"),
            "target.service_level: must be in (0, 1)");
  EXPECT_EQ(error_of(kMinimal + "[what_if]\ndeflection = 2\n"),
            "what_if.deflection: must be in [0, 1]");
  EXPECT_EQ(error_of(kMinimal + "[what_if]\noutsourced_share = 0.5\n"),
            "what_if: partner.agents: receives tickets but no agent is ever on duty in business "
            "hours");
  EXPECT_EQ(error_of("[arrivals\n"), "line 1: " + error_of("[arrivals\n").substr(8));
  EXPECT_EQ(error_of("[arrivals\n").rfind("line 1: ", 0), 0u);
}

TEST(ScenarioFile, FieldIsReported) {
  auto r = parse_scenario(kMinimal + "[lines.2]\naht_minutes = -1\nagents = 1\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "lines.2.aht_minutes");
  EXPECT_EQ(r.error().fields[0].message, "must be > 0");
}

TEST(SimulateCommand, RunsTheExample) {
  std::ostringstream out, err;
  EXPECT_EQ(simulate_command({.scenario = kExample}, out, err), 0) << err.str();
  EXPECT_EQ(err.str(), "");
  EXPECT_NE(out.str().find("base: \"Desk week (example)\", seed 42"), std::string::npos);
  EXPECT_NE(out.str().find("what-if (deflection = 0.35, first_contact_resolution = 0.8)"),
            std::string::npos);
  EXPECT_NE(out.str().find("line 4"), std::string::npos);

  std::ostringstream json, json_err;
  EXPECT_EQ(simulate_command({.scenario = kExample, .json = true, .seed = 7}, json, json_err), 0);
  EXPECT_EQ(json.str().rfind("{\"base\":{\"name\":\"Desk week (example)\",\"seed\":7,", 0), 0u)
      << json.str().substr(0, 200);
  EXPECT_NE(json.str().find("\"what_if\":{\"overrides\":{\"deflection\":3.5E-1"), std::string::npos)
      << json.str().substr(json.str().find("what_if"), 100);
}

TEST(SimulateCommand, BadFileIsExitCodeTwo) {
  std::ostringstream out, err;
  EXPECT_EQ(simulate_command({.scenario = "/nonexistent/scenario.toml"}, out, err), 2);
  EXPECT_EQ(err.str(), "firstline: /nonexistent/scenario.toml: cannot be read\n");
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace fl::staffing
