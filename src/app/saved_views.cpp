#include "app/saved_views.hpp"

#include <algorithm>

#include "app/access.hpp"
#include "app/ticket_filters.hpp"
#include "core/text.hpp"

namespace fl {

namespace {

std::vector<TeamId> team_ids(const Actor& actor) {
  std::vector<TeamId> out;
  for (const auto& t : actor.teams) out.push_back(t.id);
  return out;
}

}  // namespace

Result<std::vector<SavedView>> SavedViewService::list(const Actor& actor) {
  return store_.saved_views(actor.user.id, team_ids(actor));
}

Result<void> SavedViewService::check(const Actor& actor, ViewRequest& request) {
  std::vector<FieldError> errors;
  request.name = trim(request.name);
  if (request.name.empty()) errors.push_back({"name", "required"});
  if (request.name.size() > kMaxViewName) errors.push_back({"name", "at most 100 bytes"});
  if (request.query.size() > kMaxViewQuery) {
    errors.push_back({"query", "at most 2000 bytes"});
  } else if (auto ok = view_parameters(request.query); !ok) {
    for (const auto& f : ok.error().fields) errors.push_back(f);
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  if (request.shared && !may_share_views(actor))
    return fail(ErrorCode::permission_denied, "only supervisors and admins share views");
  return {};
}

Result<SavedView> SavedViewService::create(const Actor& actor, const ViewRequest& raw) {
  ViewRequest request = raw;
  if (auto ok = check(actor, request); !ok) return std::unexpected(ok.error());
  auto mine = store_.saved_views(actor.user.id, {});
  if (!mine) return std::unexpected(mine.error());
  if (mine->size() >= kMaxViewsPerUser)
    return fail(ErrorCode::resource_exhausted, "at most 100 saved views per user");
  Timestamp now = clock_.now();
  return store_.save_view(
      SavedView{0, actor.user.id, request.name, request.query, request.shared, now, now});
}

Result<SavedView> SavedViewService::own_view(const Actor& actor, SavedViewId id) {
  auto view = store_.saved_view(id);
  if (!view) return view;
  if (view->owner == actor.user.id) return view;
  auto visible = list(actor);
  if (!visible) return std::unexpected(visible.error());
  if (std::ranges::find(*visible, id, &SavedView::id) != visible->end())
    return fail(ErrorCode::permission_denied, "only its owner changes a shared view");
  return fail(ErrorCode::not_found, "view " + std::to_string(id) + " not found");
}

Result<SavedView> SavedViewService::update(const Actor& actor, SavedViewId id,
                                           const ViewRequest& raw) {
  auto view = own_view(actor, id);
  if (!view) return view;
  ViewRequest request = raw;
  if (auto ok = check(actor, request); !ok) return std::unexpected(ok.error());
  view->name = request.name;
  view->query = request.query;
  view->shared = request.shared;
  view->updated_at = clock_.now();
  return store_.save_view(*view);
}

Result<void> SavedViewService::remove(const Actor& actor, SavedViewId id) {
  auto view = own_view(actor, id);
  if (!view) return std::unexpected(view.error());
  return store_.delete_view(id);
}

}  // namespace fl
