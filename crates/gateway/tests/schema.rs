//! The SDL in the repository is the API contract: it must match what the server serves.

#[test]
fn the_checked_in_sdl_matches_the_schema() {
    let checked_in = include_str!("../schema.graphql");
    let served = kinerja_gateway::sdl();
    assert!(
        served == checked_in,
        "crates/gateway/schema.graphql is out of date; regenerate it with `cargo run -- schema > crates/gateway/schema.graphql` \
         and review the difference"
    );
}
