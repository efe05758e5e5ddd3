//! Fixture worker on iii-sdk 0.26.0-rc.4 (no trigger types any more): two typed functions and an event source with
//! `args_format`, which the SDK registers only once the engine advertises `observe.v2`
//! (rs026 `src/iii.rs` `register_v2_functions`). Takes `--url <engine>` (else `III_URL`).
//! Its expected interface is `expected-interface.json`.
use std::time::Duration;

use iii_helpers::observability::OtelConfig;
use iii_sdk::{register_worker, Error, InitOptions, RegisterFunction, WorkerMetadata};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Deserialize, JsonSchema)]
struct AddRequest {
    a: i64,
    b: i64,
}

#[derive(Serialize, JsonSchema)]
struct AddResponse {
    sum: i64,
}

#[derive(Deserialize, JsonSchema)]
struct ReserveRequest {
    isbn: String,
    copies: u32,
}

#[derive(Serialize, JsonSchema)]
struct Reservation {
    id: String,
}

#[derive(Deserialize, Serialize, JsonSchema)]
struct Tick {
    at_ms: u64,
}

/// How often an observer wants to be told.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct TickArgs {
    every_ms: u64,
}

fn url_from_args() -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == "--url")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(iii_sdk::engine_url_from_env)
}

fn main() {
    let iii = register_worker(
        &url_from_args(),
        InitOptions {
            metadata: Some(WorkerMetadata { name: "rust-sdk-0-26".to_string(), ..Default::default() }),
            otel: Some(OtelConfig { enabled: Some(false), ..Default::default() }),
            ..Default::default()
        },
    );

    iii.register_function(
        "rs026::add",
        RegisterFunction::new(|req: AddRequest| -> Result<AddResponse, Error> { Ok(AddResponse { sum: req.a + req.b }) })
            .description("Adds two integers"),
    );
    iii.register_function(
        "rs026::reserve",
        RegisterFunction::new_async(|req: ReserveRequest| async move {
            Ok::<_, Error>(Reservation { id: format!("{}x{}", req.isbn, req.copies) })
        })
        .description("Reserves copies of a book")
        .metadata(json!({ "owner": "shelf" })),
    );
    // Held back by the SDK until the engine's workerregistered lists observe.v2.
    iii.register_function(
        "rs026::on-tick",
        RegisterFunction::new(|tick: Tick| -> Result<Tick, Error> { Ok(tick) })
            .description("Fires on a fixed interval")
            .args_format::<TickArgs>(),
    );

    // The SDK connects on its own thread; the collector ends this process with a signal.
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
