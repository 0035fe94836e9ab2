#pragma once
#include <boost/json/object.hpp>

#include "achilles/services/defender_integration_service.hpp"
#include "achilles/services/defender_sync_service.hpp"

namespace achilles::server {

boost::json::object defender_view_json(const DefenderIntegrationView& view);
boost::json::object defender_sync_result_json(const DefenderSyncResult& result);
boost::json::object auto_resolve_pass_json(const AutoResolvePassResult& pass);
// The original's DefenderSyncStatus (bare), and what we add: the last pass
// of any kind, scheduled ones too (REC-25), its last error, and whether one runs.
boost::json::object defender_sync_status_json(const DefenderSyncStatus& status);

}  // namespace achilles::server
