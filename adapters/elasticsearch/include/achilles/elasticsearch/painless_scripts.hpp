#pragma once
#include <string_view>

namespace achilles::elasticsearch {

// The Painless sources the adapter sends. Named here so that the fake
// Elasticsearch of the tests can recognise them (it does not run Painless).

// One any-stage unit per bundle run: bundle_id::hostname (analytics-spec §2.8).
inline constexpr std::string_view kBundleRunKey =
    "doc['f0rtika.bundle_id'].value + '::' + doc['routing.hostname'].value";

// The run a document belongs to (analytics-spec §3.4.3), in the format of
// achilles::run_key (libachilles/query/run_key.hpp):
// bundle::<bundle_id>::<hostname>::<event_time_ms> for bundle controls,
// standalone::<test_uuid>::<hostname>::<event_time_ms> otherwise.
inline constexpr std::string_view kRunGroupKey =
    "long t = doc['routing.event_time'].value.toInstant().toEpochMilli(); "
    "if (doc.containsKey('f0rtika.is_bundle_control') && doc['f0rtika.is_bundle_control'].size() > 0 "
    "&& doc['f0rtika.is_bundle_control'].value == true) { "
    "return 'bundle::' + doc['f0rtika.bundle_id'].value + '::' + doc['routing.hostname'].value + '::' + t; } "
    "return 'standalone::' + doc['f0rtika.test_uuid'].value + '::' + doc['routing.hostname'].value + '::' + t;";

}  // namespace achilles::elasticsearch
