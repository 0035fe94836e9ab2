#pragma once
// Both RiskAcceptances adapters of the embedded engine, for callers that
// choose one at wiring time.
#include "achilles/embedded/in_memory_risk_acceptances.hpp"
#include "achilles/embedded/sqlite_risk_acceptances.hpp"
