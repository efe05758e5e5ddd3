//! Fixture worker on iii-sdk 0.11.3 (the line the workers repository pins), shaped like the repository's workers:
//! `--url <engine>` and `--config <file>` (default `./config.yaml`, which must exist), typed functions whose schemas
//! schemars derives, and a trigger type. Its expected interface is `expected-interface.json`.
use std::{collections::HashMap, process::exit, time::Duration};

use async_trait::async_trait;
use iii_sdk::{
    register_worker, IIIError, InitOptions, OtelConfig, RegisterFunction, RegisterTriggerType, TriggerConfig,
    TriggerHandler, WorkerMetadata,
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

#[derive(Deserialize, JsonSchema)]
struct GreetRequest {
    /// Who to greet.
    name: String,
    shout: Option<bool>,
}

#[derive(Serialize, JsonSchema)]
struct GreetResponse {
    message: String,
}

#[derive(Serialize, JsonSchema)]
struct TickConfig {
    interval_ms: u64,
}

#[derive(Serialize, JsonSchema)]
struct TickEvent {
    count: u64,
}

struct TickTimer;

#[async_trait]
impl TriggerHandler for TickTimer {
    async fn register_trigger(&self, _config: TriggerConfig) -> Result<(), IIIError> {
        Ok(())
    }
    async fn unregister_trigger(&self, _config: TriggerConfig) -> Result<(), IIIError> {
        Ok(())
    }
}

/// `--name value` or `--name=value`.
fn flag(args: &[String], name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    args.iter().enumerate().find_map(|(i, arg)| {
        if arg == name {
            args.get(i + 1).cloned()
        } else {
            arg.strip_prefix(&prefix).map(str::to_string)
        }
    })
}

/// `key: value` lines, as far as this fixture needs YAML.
fn load_config(path: &str) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| {
        eprintln!("Error: loading config from {path}: {error}");
        exit(1);
    });
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_string(), value.trim().trim_matches('"').to_string()))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = flag(&args, "--url")
        .or_else(|| std::env::var("III_URL").ok())
        .unwrap_or_else(|| "ws://127.0.0.1:49134".to_string());
    let config = load_config(&flag(&args, "--config").unwrap_or_else(|| "./config.yaml".to_string()));
    let greeting = config.get("greeting").cloned().unwrap_or_else(|| "Hello".to_string());

    let iii = register_worker(
        &url,
        InitOptions {
            metadata: Some(WorkerMetadata { name: "rust-sdk-0-11".to_string(), ..Default::default() }),
            otel: Some(OtelConfig { enabled: Some(false), ..Default::default() }),
            ..Default::default()
        },
    );

    iii.register_function(
        RegisterFunction::new("rs011::add", |req: AddRequest| -> Result<AddResponse, String> {
            Ok(AddResponse { sum: req.a + req.b })
        })
        .description("Adds two integers"),
    );
    iii.register_function(
        RegisterFunction::new_async("rs011::greet", move |req: GreetRequest| {
            let greeting = greeting.clone();
            async move {
                let message = format!("{greeting}, {}!", req.name);
                Ok::<_, String>(GreetResponse { message: if req.shout == Some(true) { message.to_uppercase() } else { message } })
            }
        })
        .description("Greets someone")
        .metadata(json!({ "tags": ["fixture"], "cost": 1 })),
    );
    iii.register_trigger_type(
        RegisterTriggerType::new("rs011::tick", "Fires on a fixed interval", TickTimer)
            .trigger_request_format::<TickConfig>()
            .call_request_format::<TickEvent>(),
    );

    // The SDK connects on its own thread; the collector ends this process with a signal.
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
