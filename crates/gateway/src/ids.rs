//! Opaque global ids for Relay object identification: base64url of `Type:uuid`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::bad_input;

/// The object types that can be fetched with `node(id:)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeType {
    Unit,
    Position,
    Employee,
    Plan,
    WorkResult,
    Indicator,
    Realisation,
    FeedbackNote,
    Decision,
    Objection,
    TrainingNeed,
    DevelopmentGoal,
    /// Not a node: refetched through its goal.
    DevelopmentActivity,
    /// Not a node: refetched through `viewer { feedbackRequests }` or its plan.
    FeedbackRequest,
}

const NODE_TYPES: [(NodeType, &str); 14] = [
    (NodeType::Unit, "Unit"),
    (NodeType::Position, "Position"),
    (NodeType::Employee, "Employee"),
    (NodeType::Plan, "Plan"),
    (NodeType::WorkResult, "WorkResult"),
    (NodeType::Indicator, "Indicator"),
    (NodeType::Realisation, "Realisation"),
    (NodeType::FeedbackNote, "FeedbackNote"),
    (NodeType::Decision, "Decision"),
    (NodeType::Objection, "Objection"),
    (NodeType::TrainingNeed, "TrainingNeed"),
    (NodeType::DevelopmentGoal, "DevelopmentGoal"),
    (NodeType::DevelopmentActivity, "DevelopmentActivity"),
    (NodeType::FeedbackRequest, "FeedbackRequest"),
];

pub(crate) fn global_id(node_type: NodeType, id: Uuid) -> async_graphql::ID {
    let name = NODE_TYPES.iter().find(|(t, _)| *t == node_type).map_or("", |(_, name)| name);
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{name}:{id}")))
}

pub(crate) fn parse_global_id(id: &str) -> async_graphql::Result<(NodeType, Uuid)> {
    let invalid = || bad_input(format!("'{id}' is not a kinerja node id"));
    let decoded = URL_SAFE_NO_PAD.decode(id).map_err(|_| invalid())?;
    let text = String::from_utf8(decoded).map_err(|_| invalid())?;
    let (name, uuid) = text.split_once(':').ok_or_else(invalid)?;
    let node_type = NODE_TYPES.iter().find(|(_, n)| *n == name).map(|(t, _)| *t).ok_or_else(invalid)?;
    Ok((node_type, uuid.parse().map_err(|_| invalid())?))
}

/// An opaque cursor for a position in a list that is not a node's id: base64url of `list:position`.
pub(crate) fn cursor(list: &str, position: impl std::fmt::Display) -> String {
    URL_SAFE_NO_PAD.encode(format!("{list}:{position}"))
}

/// The position a cursor of `list` holds, or `None` for anything else.
pub(crate) fn cursor_position(list: &str, cursor: &str) -> Option<String> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let (name, position) = text.split_once(':')?;
    (name == list).then(|| position.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_garbage_is_refused() {
        let id = Uuid::now_v7();
        let global = global_id(NodeType::Indicator, id);
        assert_eq!(parse_global_id(&global).unwrap(), (NodeType::Indicator, id));
        assert!(parse_global_id("not-an-id").is_err());
        assert!(parse_global_id(&URL_SAFE_NO_PAD.encode("Cake:1")).is_err());
    }

    #[test]
    fn cursors_hold_their_list_and_position() {
        let text = cursor("audit", 42);
        assert_eq!(cursor_position("audit", &text).as_deref(), Some("42"));
        assert_eq!(cursor_position("units", &text), None, "a cursor of another list");
        assert_eq!(cursor_position("audit", "42"), None);
    }
}
