//! The floor under W1: a bare axum server answering `POST /graphql` with the constant body of
//! `{ __typename }`, without GraphQL parsing, auth or a database. kinerja's W1 figure is read against it.

use axum::Router;
use axum::http::header;
use axum::routing::post;
use clap::Parser;

#[derive(Parser)]
#[command(about = "Answer POST /graphql with {\"data\":{\"__typename\":\"QueryRoot\"}}")]
struct Arguments {
    /// Address to listen on; the bound address is printed.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
}

const ANSWER: &str = r#"{"data":{"__typename":"QueryRoot"}}"#;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let arguments = Arguments::parse();
    let listener = tokio::net::TcpListener::bind(&arguments.listen).await?;
    println!("listening on http://{}/graphql", listener.local_addr()?);
    let router =
        Router::new().route("/graphql", post(|| async { ([(header::CONTENT_TYPE, "application/json")], ANSWER) }));
    axum::serve(listener, router).await
}
