#pragma once
#include <boost/json/object.hpp>
#include <optional>

#include "achilles/domain/auto_resolve.hpp"
#include "achilles/domain/defender_documents.hpp"

namespace achilles::defender_json {

// Each document as the original's sync writes it into `achilles-defender`:
// `doc_type` first, field names of §4.1, `f0rtika` only when Achilles
// annotated the alert.
boost::json::object encode(const SecureScoreDocument& d);
boost::json::object encode(const ControlProfileDocument& d);
boost::json::object encode(const AlertDocument& d);
boost::json::object encode(const AlertAnnotations& a);

// Read back; nullopt when `doc_type` is another, or a required field is
// missing. Unknown fields are ignored (the original may have written more).
std::optional<SecureScoreDocument> decode_secure_score(const boost::json::object& source, std::string id);
std::optional<ControlProfileDocument> decode_control_profile(const boost::json::object& source, std::string id);
std::optional<AlertDocument> decode_alert(const boost::json::object& source, std::string id);
AlertAnnotations decode_annotations(const boost::json::object& f0rtika);

// An auto-resolve receipt: doc_type "auto_resolve_receipt", its fields flat,
// the decision's time as `receipt_at` (a date for the index).
boost::json::object encode(const AutoResolveReceipt& r);
std::optional<AutoResolveReceipt> decode_receipt(const boost::json::object& source);

}  // namespace achilles::defender_json
