//! Fixture worker on iii-sdk 0.25.0: typed functions (schemas from schemars), an observable function that owns its
//! observers (`observe` descriptor with `args_format`), and a trigger type through the deprecated API.
//! Takes `--url <engine>` (else `III_URL`). Its expected interface is `expected-interface.json`.
use std::time::Duration;

use async_trait::async_trait;
use iii_helpers::observability::OtelConfig;
use iii_sdk::{
    register_worker, trigger::{TriggerConfig, TriggerHandler}, Error, InitOptions, Observe, RegisterFunction,
    RegisterTriggerType, WorkerMetadata,
};
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

/// A book to look up.
#[derive(Deserialize, JsonSchema)]
struct LookupRequest {
    isbn: String,
}

#[derive(Serialize, JsonSchema)]
struct Book {
    title: String,
    tags: Vec<String>,
}

#[derive(Deserialize, Serialize, JsonSchema)]
struct StockChange {
    isbn: String,
    delta: i32,
}

#[derive(JsonSchema)]
#[allow(dead_code)]
struct StockFilter {
    isbn: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct WebhookConfig {
    path: String,
}

#[derive(Serialize, JsonSchema)]
struct WebhookCall {
    body: serde_json::Value,
}

struct Webhooks;

#[async_trait]
impl TriggerHandler for Webhooks {
    async fn register_trigger(&self, _config: TriggerConfig) -> Result<(), Error> {
        Ok(())
    }
    async fn unregister_trigger(&self, _config: TriggerConfig) -> Result<(), Error> {
        Ok(())
    }
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
            metadata: Some(WorkerMetadata { name: "rust-sdk-0-25".to_string(), ..Default::default() }),
            otel: Some(OtelConfig { enabled: Some(false), ..Default::default() }),
            ..Default::default()
        },
    );

    iii.register_function(
        "rs025::add",
        RegisterFunction::new(|req: AddRequest| -> Result<AddResponse, Error> { Ok(AddResponse { sum: req.a + req.b }) })
            .description("Adds two integers"),
    );
    iii.register_function(
        "rs025::lookup",
        RegisterFunction::new_async(|req: LookupRequest| async move {
            Ok::<_, Error>(Book { title: format!("Book {}", req.isbn), tags: vec![] })
        })
        .description("Looks a book up by ISBN")
        .metadata(json!({ "owner": "shelf" })),
    );
    iii.register_function(
        "rs025::stock-changed",
        RegisterFunction::new(|change: StockChange| -> Result<StockChange, Error> { Ok(change) })
            .description("Emitted when a book's stock changes")
            .observe(Observe::owner().args_format::<StockFilter>()),
    );
    #[allow(deprecated)]
    iii.register_trigger_type(
        RegisterTriggerType::new("rs025::webhook", "Calls a function on an HTTP POST", Webhooks)
            .trigger_request_format::<WebhookConfig>()
            .call_request_format::<WebhookCall>(),
    );

    // The SDK connects on its own thread; the collector ends this process with a signal.
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
