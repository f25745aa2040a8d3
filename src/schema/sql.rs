//! The warehouse formats of `exitparse schema`: DuckDB, BigQuery, Spark and
//! portable SQL, each a walk over the same field tree.

use super::json_schema::{J, s};
use super::{Field, Kind, Object};

/// A SQL string literal.
fn literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A double-quoted SQL identifier (`from` is a keyword).
fn ident(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

fn duck_type(kind: &Kind) -> String {
    match kind {
        Kind::Text | Kind::Enum(_) | Kind::Const(_) => "VARCHAR".to_string(),
        Kind::Integer => "BIGINT".to_string(),
        Kind::Number => "DOUBLE".to_string(),
        Kind::Boolean => "BOOLEAN".to_string(),
        Kind::Timestamp => "TIMESTAMPTZ".to_string(),
        Kind::List(item) => format!("{}[]", duck_type(&item.kind)),
        Kind::Object(obj) => {
            let fields: Vec<String> = obj
                .fields
                .iter()
                .map(|f| format!("{} {}", ident(f.name), duck_type(&f.kind)))
                .collect();
            format!("STRUCT({})", fields.join(", "))
        }
    }
}

fn not_null(f: &Field) -> &'static str {
    if f.nullable { "" } else { " NOT NULL" }
}

/// `--format duckdb`: a `CREATE TABLE` and the `read_json(…, columns = {…})`
/// call that loads JSON-lines (or `--format json`) output into it with fixed
/// types. `input` is the file or glob to read, `table` the table's name.
pub fn duckdb(input: &str, table: &str) -> String {
    let record = super::record();
    let mut out = String::new();
    out.push_str(
        "-- exitparse record v1 for DuckDB: the table, then a typed load of\n\
         -- `exitparse` JSON-lines (or --format json) output. Types never depend on\n\
         -- the data, so a glob over many files loads the same columns.\n\
         -- Parquet output (--format parquet) loads with read_parquet() instead.\n",
    );
    out.push_str(&format!("CREATE TABLE IF NOT EXISTS {} (\n", ident(table)));
    let columns: Vec<String> = record
        .fields
        .iter()
        .map(|f| {
            format!(
                "    {} {}{}",
                ident(f.name),
                duck_type(&f.kind),
                not_null(f)
            )
        })
        .collect();
    out.push_str(&columns.join(",\n"));
    out.push_str("\n);\n");
    out.push_str(&format!(
        "INSERT INTO {} BY NAME\nSELECT * FROM read_json(\n    {},\n    format = 'auto',\n    columns = {{\n",
        ident(table),
        literal(input)
    ));
    let columns: Vec<String> = record
        .fields
        .iter()
        .map(|f| {
            format!(
                "        {}: {}",
                literal(f.name),
                literal(&duck_type(&f.kind))
            )
        })
        .collect();
    out.push_str(&columns.join(",\n"));
    out.push_str("\n    }\n);\n");
    out
}

fn bq_field(f: &Field) -> J {
    let (kind, mode) = match &f.kind {
        Kind::List(item) => (&item.kind, "REPEATED"),
        k if f.nullable => (k, "NULLABLE"),
        k => (k, "REQUIRED"),
    };
    let ty = match kind {
        Kind::Text | Kind::Enum(_) | Kind::Const(_) => "STRING",
        Kind::Integer => "INT64",
        Kind::Number => "FLOAT64",
        Kind::Boolean => "BOOL",
        Kind::Timestamp => "TIMESTAMP",
        // BigQuery has no list of lists; the record has none either.
        Kind::List(_) => "STRING",
        Kind::Object(_) => "RECORD",
    };
    let mut pairs = vec![("name", s(f.name)), ("type", s(ty)), ("mode", s(mode))];
    if !f.about.is_empty() {
        pairs.push(("description", s(f.about)));
    }
    if let Kind::Object(obj) = kind {
        pairs.push(("fields", bq_fields(obj)));
    }
    J::Obj(pairs)
}

fn bq_fields(obj: &Object) -> J {
    J::Arr(obj.fields.iter().map(bq_field).collect())
}

/// `--format bigquery`: the JSON schema file `bq load --schema` takes.
pub fn bigquery() -> String {
    let mut out =
        serde_json::to_string_pretty(&bq_fields(super::record())).expect("schema serializes");
    out.push('\n');
    out
}

fn spark_type(kind: &Kind) -> String {
    match kind {
        Kind::Text | Kind::Enum(_) | Kind::Const(_) => "STRING".to_string(),
        Kind::Integer => "BIGINT".to_string(),
        Kind::Number => "DOUBLE".to_string(),
        Kind::Boolean => "BOOLEAN".to_string(),
        Kind::Timestamp => "TIMESTAMP".to_string(),
        Kind::List(item) => format!("ARRAY<{}>", spark_type(&item.kind)),
        Kind::Object(obj) => {
            let fields: Vec<String> = obj
                .fields
                .iter()
                .map(|f| format!("`{}`: {}{}", f.name, spark_type(&f.kind), not_null(f)))
                .collect();
            format!("STRUCT<{}>", fields.join(", "))
        }
    }
}

/// `--format spark`: a DDL string for `spark.read.schema(…)` (one line).
pub fn spark() -> String {
    let columns: Vec<String> = super::record()
        .fields
        .iter()
        .map(|f| format!("`{}` {}{}", f.name, spark_type(&f.kind), not_null(f)))
        .collect();
    format!("{}\n", columns.join(", "))
}

fn sql_type(kind: &Kind) -> String {
    match kind {
        Kind::Text | Kind::Enum(_) | Kind::Const(_) => "TEXT".to_string(),
        Kind::Integer => "BIGINT".to_string(),
        Kind::Number => "DOUBLE PRECISION".to_string(),
        Kind::Boolean => "BOOLEAN".to_string(),
        Kind::Timestamp => "TIMESTAMP WITH TIME ZONE".to_string(),
        Kind::List(item) => format!("{}[]", sql_type(&item.kind)),
        // `flatten` opens objects into columns; only an object inside a
        // list (the record has none) would come here: kept as JSON text.
        Kind::Object(_) => "TEXT".to_string(),
    }
}

/// The flattened columns of `obj`: nested keys joined by `_`; a column is
/// nullable when it or any object above it is.
fn flatten(obj: &Object, prefix: &str, nullable: bool, out: &mut Vec<String>) {
    for f in &obj.fields {
        let name = format!("{prefix}{}", f.name);
        let nullable = nullable || f.nullable;
        match &f.kind {
            Kind::Object(inner) => flatten(inner, &format!("{name}_"), nullable, out),
            kind => out.push(format!(
                "    {} {}{}",
                ident(&name),
                sql_type(kind),
                if nullable { "" } else { " NOT NULL" }
            )),
        }
    }
}

/// `--format sql`: a portable `CREATE TABLE` in PostgreSQL's dialect
/// (DuckDB accepts it as well); nested keys are flattened into columns.
pub fn sql(table: &str) -> String {
    let mut columns = Vec::new();
    flatten(super::record(), "", false, &mut columns);
    format!(
        "-- exitparse record v1 as one flat table, in PostgreSQL's dialect (12 or later;\n\
         -- DuckDB accepts it too). Nested keys become columns joined by '_'\n\
         -- (state.exit_code -> state_exit_code); lists are TEXT[] arrays.\n\
         CREATE TABLE {} (\n{}\n);\n",
        ident(table),
        columns.join(",\n")
    )
}
