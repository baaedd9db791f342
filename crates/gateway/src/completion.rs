//! Response completion as the GraphQL specification defines it, applied after execution.
//!
//! async-graphql 7 resolves the fields of a query concurrently and keeps them in the order they finish,
//! and a field whose resolver fails is left out of its object. The specification asks for keys in the
//! order of the selection set, and for a failed field to be `null`, which makes its parent `null` in turn
//! when the field's type is non-null, up to the nearest nullable field (or `data` itself). Clients depend
//! on both: a generated type expects every selected key, and a cache normalises by position.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{Name, PathSegment, Response, Value};

/// The fields of the schema's object and interface types, with their types, read from its SDL.
pub(crate) struct OutputTypes {
    fields: HashMap<String, HashMap<String, Type>>,
    query: String,
    mutation: String,
    subscription: String,
}

impl OutputTypes {
    /// Reads the output types of a schema from its SDL.
    pub(crate) fn from_sdl(sdl: &str) -> Result<Self, String> {
        let document = async_graphql::parser::parse_schema(sdl).map_err(|error| error.to_string())?;
        let mut types = Self {
            fields: HashMap::new(),
            query: "Query".to_owned(),
            mutation: "Mutation".to_owned(),
            subscription: "Subscription".to_owned(),
        };
        for definition in document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    let schema = schema.node;
                    let name = |root: Option<async_graphql::Positioned<Name>>, default: &str| {
                        root.map_or_else(|| default.to_owned(), |name| name.node.to_string())
                    };
                    types.query = name(schema.query, "Query");
                    types.mutation = name(schema.mutation, "Mutation");
                    types.subscription = name(schema.subscription, "Subscription");
                }
                TypeSystemDefinition::Type(definition) => {
                    let definition = definition.node;
                    let fields = match definition.kind {
                        TypeKind::Object(object) => object.fields,
                        TypeKind::Interface(interface) => interface.fields,
                        _ => continue,
                    };
                    let fields = fields.into_iter().map(|field| (field.node.name.node.to_string(), field.node.ty.node));
                    types.fields.insert(definition.name.node.to_string(), fields.collect());
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        Ok(types)
    }

    fn field_type(&self, type_name: &str, field: &str) -> Option<&Type> {
        self.fields.get(type_name)?.get(field)
    }

    fn root(&self, operation: OperationType) -> &str {
        match operation {
            OperationType::Query => &self.query,
            OperationType::Mutation => &self.mutation,
            OperationType::Subscription => &self.subscription,
        }
    }
}

/// What a selection set asks of one object: its response keys in order, each with its type (when the
/// schema has it; introspection types are not in the SDL) and what it asks of its own value in turn.
struct Plan<'a> {
    children: Vec<Child<'a>>,
}

struct Child<'a> {
    key: &'a Name,
    ty: Option<&'a Type>,
    plan: Plan<'a>,
}

/// Deepest nesting of fragment spreads followed; validation refuses cycles, this only bounds the walk.
const MAX_FRAGMENT_NESTING: usize = 64;

/// A field of a selection set with the type it is selected on.
type Occurrence<'a> = (Option<&'a str>, &'a async_graphql::parser::types::Field);

fn collect<'a>(
    document: &'a ExecutableDocument,
    parent: Option<&'a str>,
    set: &'a SelectionSet,
    nesting: usize,
    out: &mut Vec<(&'a Name, Vec<Occurrence<'a>>)>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let key = &field.node.response_key().node;
                match out.iter_mut().find(|(seen, _)| *seen == key) {
                    Some((_, occurrences)) => occurrences.push((parent, &field.node)),
                    None => out.push((key, vec![(parent, &field.node)])),
                }
            }
            Selection::InlineFragment(fragment) => {
                let on = fragment.node.type_condition.as_ref().map(|condition| condition.node.on.node.as_str());
                collect(document, on.or(parent), &fragment.node.selection_set.node, nesting, out);
            }
            Selection::FragmentSpread(spread) => {
                if nesting < MAX_FRAGMENT_NESTING
                    && let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node)
                {
                    let on = fragment.node.type_condition.node.on.node.as_str();
                    collect(document, Some(on), &fragment.node.selection_set.node, nesting + 1, out);
                }
            }
        }
    }
}

fn named_type(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named_type(inner),
    }
}

fn plan<'a>(types: &'a OutputTypes, document: &'a ExecutableDocument, sets: &[Occurrence<'a>]) -> Plan<'a> {
    let mut collected = Vec::new();
    for (parent, field) in sets {
        collect(document, *parent, &field.selection_set.node, 0, &mut collected);
    }
    plan_of(types, document, collected)
}

fn plan_of<'a>(
    types: &'a OutputTypes,
    document: &'a ExecutableDocument,
    collected: Vec<(&'a Name, Vec<Occurrence<'a>>)>,
) -> Plan<'a> {
    let children = collected
        .into_iter()
        .map(|(key, occurrences)| {
            let ty = occurrences.iter().find_map(|(parent, field)| types.field_type((*parent)?, &field.name.node));
            let inner = ty.map(named_type);
            let sets: Vec<Occurrence<'a>> = occurrences.iter().map(|(_, field)| (inner, *field)).collect();
            Child { key, ty, plan: plan(types, document, &sets) }
        })
        .collect();
    Plan { children }
}

/// Orders `value` by `plan` and nulls it when a non-null part of it is null. Returns whether it is null.
fn apply(value: &mut Value, ty: Option<&Type>, plan: &Plan<'_>) -> bool {
    match value {
        Value::Object(map) if !plan.children.is_empty() => {
            let mut resolved = std::mem::take(map);
            let mut lost_required = false;
            for child in &plan.children {
                if let Some(mut field) = resolved.swap_remove(child.key) {
                    let null = apply(&mut field, child.ty, &child.plan);
                    lost_required |= null && child.ty.is_some_and(|ty| !ty.nullable);
                    map.insert(child.key.clone(), field);
                }
            }
            map.extend(resolved);
            if lost_required {
                *value = Value::Null;
            }
        }
        Value::List(items) => {
            let item_type = ty.and_then(|ty| match &ty.base {
                BaseType::List(inner) => Some(&**inner),
                BaseType::Named(_) => None,
            });
            let mut lost_required = false;
            for item in items.iter_mut() {
                let null = apply(item, item_type, plan);
                lost_required |= null && item_type.is_some_and(|ty| !ty.nullable);
            }
            if lost_required {
                *value = Value::Null;
            }
        }
        _ => {}
    }
    matches!(value, Value::Null)
}

/// Sets the field an error's path names to `null` when execution left it out. An object all of whose
/// fields failed comes back as `null`; an error below it shows it was an object, so it is made one again.
fn null_failed_field(data: &mut Value, path: &[PathSegment]) {
    let mut current = data;
    for (index, segment) in path.iter().enumerate() {
        match segment {
            PathSegment::Field(key) => {
                if matches!(current, Value::Null) {
                    *current = Value::Object(Default::default());
                }
                let Value::Object(map) = current else { return };
                let key = Name::new(key);
                if !map.contains_key(&key) {
                    map.insert(key, Value::Null);
                    return;
                }
                if index + 1 == path.len() {
                    return;
                }
                current = map.get_mut(&key).expect("the key was just found");
            }
            PathSegment::Index(position) => match current {
                Value::List(items) if *position < items.len() => current = &mut items[*position],
                _ => return,
            },
        }
    }
}

/// Completes `response` to the operation it answers in `document`.
pub(crate) fn complete(
    response: &mut Response,
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    types: &OutputTypes,
) {
    let operation = match &document.operations {
        DocumentOperations::Single(operation) => operation,
        DocumentOperations::Multiple(operations) => {
            let chosen = match operation_name {
                Some(name) => operations.get(name),
                None if operations.len() == 1 => operations.values().next(),
                None => None,
            };
            let Some(operation) = chosen else { return };
            operation
        }
    };
    for error in &response.errors {
        if !error.path.is_empty() {
            null_failed_field(&mut response.data, &error.path);
        }
    }
    let root = types.root(operation.node.ty);
    let mut collected = Vec::new();
    collect(document, Some(root), &operation.node.selection_set.node, 0, &mut collected);
    let plan = plan_of(types, document, collected);
    apply(&mut response.data, None, &plan);
}

/// A document and the types it is completed against, kept for the response of one request.
#[derive(Clone)]
pub(crate) struct Completion {
    pub(crate) document: Arc<ExecutableDocument>,
    pub(crate) operation_name: Option<String>,
    pub(crate) types: Arc<OutputTypes>,
}

impl Completion {
    /// The operation as the access log and metrics name it: `query Name`, or `query (anonymous)`.
    pub(crate) fn operation_label(&self) -> String {
        let chosen = match (&self.document.operations, self.operation_name.as_deref()) {
            (DocumentOperations::Single(operation), _) => Some((None, operation)),
            (DocumentOperations::Multiple(operations), Some(name)) => {
                operations.get_key_value(name).map(|(name, operation)| (Some(name.as_str()), operation))
            }
            (DocumentOperations::Multiple(operations), None) => {
                operations.iter().next().filter(|_| operations.len() == 1).map(|(name, op)| (Some(name.as_str()), op))
            }
        };
        let Some((name, operation)) = chosen else { return String::new() };
        let name = name.or(self.operation_name.as_deref()).unwrap_or("(anonymous)");
        format!("{} {name}", operation.node.ty)
    }

    pub(crate) fn apply(&self, response: &mut Response) {
        complete(response, &self.document, self.operation_name.as_deref(), &self.types);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "
        type Query { unit(code: String!): Unit  employee: Employee  units: [Unit!]! }
        type Unit { name: String!  code: String!  members: [Employee!]!  head: Employee }
        type Employee { name: String!  nip: String }
        schema { query: Query }
    ";

    fn completed_value(query: &str, data: serde_json::Value, error_paths: &[&[PathSegment]]) -> Value {
        let types = OutputTypes::from_sdl(SDL).unwrap();
        let document = async_graphql::parser::parse_query(query).unwrap();
        let mut response = Response::new(Value::from_json(data).unwrap());
        for path in error_paths {
            let mut error = async_graphql::ServerError::new("failed", None);
            error.path = path.to_vec();
            response.errors.push(error);
        }
        complete(&mut response, &document, None, &types);
        response.data
    }

    fn completed(query: &str, data: serde_json::Value, error_paths: &[&[PathSegment]]) -> serde_json::Value {
        completed_value(query, data, error_paths).into_json().unwrap()
    }

    fn keys(value: &Value) -> Vec<&str> {
        let Value::Object(map) = value else { panic!("{value} is not an object") };
        map.keys().map(Name::as_str).collect()
    }

    fn field(key: &str) -> PathSegment {
        PathSegment::Field(key.to_owned())
    }

    #[test]
    fn keys_follow_the_selection_through_fragments() {
        let data = serde_json::json!({ "b": { "code": "X", "name": "N" }, "a": null });
        let query = "{ b: unit(code: \"X\") { ...F } a: employee { name } } fragment F on Unit { name code }";
        let done = completed_value(query, data, &[]);
        assert_eq!(keys(&done), ["b", "a"]);
        let Value::Object(map) = &done else { unreachable!() };
        assert_eq!(keys(&map[&Name::new("b")]), ["name", "code"]);
    }

    #[test]
    fn a_failed_nullable_field_is_null_and_its_siblings_stay() {
        let data = serde_json::json!({ "b": null });
        let done = completed("{ a: employee { name } b: unit(code: \"X\") { name } }", data, &[&[field("a")]]);
        assert_eq!(done, serde_json::json!({ "a": null, "b": null }));
    }

    #[test]
    fn a_failed_non_null_field_nulls_the_nearest_nullable_parent() {
        let data = serde_json::json!({ "unit": { "name": "N" } });
        let done =
            completed("{ unit(code: \"X\") { name members { name } } }", data, &[&[field("unit"), field("members")]]);
        assert_eq!(done, serde_json::json!({ "unit": null }));

        // A failed item of a non-null list of non-null items takes the list, and through it `data`.
        let data = serde_json::json!({ "units": null });
        let done = completed("{ units { name } }", data, &[&[field("units"), PathSegment::Index(1), field("name")]]);
        assert_eq!(done, serde_json::Value::Null);
    }

    #[test]
    fn an_object_whose_only_field_failed_is_an_object_with_a_null() {
        let data = serde_json::json!({ "unit": null });
        let done = completed("{ unit(code: \"X\") { head { name } } }", data, &[&[field("unit"), field("head")]]);
        assert_eq!(done, serde_json::json!({ "unit": { "head": null } }));
    }

    #[test]
    fn the_schema_of_kinerja_reads() {
        let types = OutputTypes::from_sdl(&crate::exported_sdl()).unwrap();
        assert_eq!(types.query, "QueryRoot");
        assert!(types.field_type("Unit", "indicatorAchievements").is_some_and(|ty| !ty.nullable));
        assert!(types.field_type("Unit", "members").is_some_and(|ty| ty.nullable));
    }
}
