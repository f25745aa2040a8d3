//! `--format parquet`: typed, nested columns laid out by [`crate::schema`]
//! (the same tree the JSON Schema and the warehouse DDL come from), written
//! with the arrow/parquet crates.
//!
//! Memory stays bounded whatever the input: records are gathered into Arrow
//! batches of [`BATCH`] rows, the Parquet writer closes a row group every
//! [`ROW_GROUP`] rows (or [`ROW_GROUP_BYTES`]), and the bytes it has written
//! are handed on to the output after every batch. Each record is converted
//! from the same JSON value the other formats write, so a Parquet file and a
//! JSON-lines file of one run hold the same data.

use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, ListArray, RecordBatch, StructArray};
use arrow_buffer::{NullBufferBuilder, OffsetBuffer};
use arrow_schema::{
    ArrowError, DataType, Field as ArrowField, Fields, Schema, SchemaRef, TimeUnit,
};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

use super::{CollectFormat, Record};
use crate::schema::{self, Field, Kind, Object};

/// Rows per Arrow batch handed to the Parquet writer.
const BATCH: usize = 8192;
/// Rows per Parquet row group.
const ROW_GROUP: usize = 65536;
/// Encoded bytes at which a row group is closed early.
const ROW_GROUP_BYTES: usize = 64 << 20;

/// The Arrow type of a schema kind.
fn data_type(kind: &Kind) -> DataType {
    match kind {
        Kind::Text | Kind::Enum(_) | Kind::Const(_) => DataType::Utf8,
        Kind::Integer => DataType::Int64,
        Kind::Number => DataType::Float64,
        Kind::Boolean => DataType::Boolean,
        Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        Kind::List(item) => DataType::List(Arc::new(arrow_field(item))),
        Kind::Object(obj) => DataType::Struct(fields(obj)),
    }
}

fn arrow_field(f: &Field) -> ArrowField {
    ArrowField::new(f.name, data_type(&f.kind), f.nullable)
}

fn fields(obj: &Object) -> Fields {
    obj.fields.iter().map(arrow_field).collect()
}

/// The Arrow schema of the record.
pub fn arrow_schema() -> SchemaRef {
    Arc::new(Schema::new(fields(schema::record())))
}

/// One column being filled, shaped like its schema field.
enum Column {
    Text(StringBuilder),
    Integer(Int64Builder),
    Number(Float64Builder),
    Boolean(BooleanBuilder),
    Timestamp(TimestampMicrosecondBuilder),
    List {
        item: ArrowField,
        offsets: Vec<i32>,
        nulls: NullBufferBuilder,
        values: Box<Column>,
    },
    Object {
        fields: Fields,
        names: Vec<&'static str>,
        children: Vec<Column>,
        nulls: NullBufferBuilder,
    },
}

impl Column {
    fn new(kind: &Kind) -> Column {
        match kind {
            Kind::Text | Kind::Enum(_) | Kind::Const(_) => Column::Text(StringBuilder::new()),
            Kind::Integer => Column::Integer(Int64Builder::new()),
            Kind::Number => Column::Number(Float64Builder::new()),
            Kind::Boolean => Column::Boolean(BooleanBuilder::new()),
            Kind::Timestamp => Column::Timestamp(TimestampMicrosecondBuilder::new()),
            Kind::List(item) => Column::List {
                item: arrow_field(item),
                offsets: vec![0],
                nulls: NullBufferBuilder::new(BATCH),
                values: Box::new(Column::new(&item.kind)),
            },
            Kind::Object(obj) => Column::Object {
                fields: fields(obj),
                names: obj.fields.iter().map(|f| f.name).collect(),
                children: obj.fields.iter().map(|f| Column::new(&f.kind)).collect(),
                nulls: NullBufferBuilder::new(BATCH),
            },
        }
    }

    /// Appends `v`; a value of the wrong type is an error naming `name`.
    fn append(&mut self, name: &str, v: &Value) -> Result<(), String> {
        if v.is_null() {
            self.append_null();
            return Ok(());
        }
        let wrong = || format!("parquet: {name}: unexpected value {v}");
        match self {
            Column::Text(b) => b.append_value(v.as_str().ok_or_else(wrong)?),
            Column::Integer(b) => b.append_value(v.as_i64().ok_or_else(wrong)?),
            Column::Number(b) => b.append_value(v.as_f64().ok_or_else(wrong)?),
            Column::Boolean(b) => b.append_value(v.as_bool().ok_or_else(wrong)?),
            Column::Timestamp(b) => {
                let text = v.as_str().ok_or_else(wrong)?;
                let t = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| wrong())?;
                b.append_value(t.timestamp_micros());
            }
            Column::List {
                offsets,
                nulls,
                values,
                ..
            } => {
                let items = v.as_array().ok_or_else(wrong)?;
                for item in items {
                    values.append(name, item)?;
                }
                let end = offsets.last().copied().unwrap_or(0) as usize + items.len();
                offsets.push(i32::try_from(end).map_err(|_| wrong())?);
                nulls.append_non_null();
            }
            Column::Object {
                names,
                children,
                nulls,
                ..
            } => {
                let map = v.as_object().ok_or_else(wrong)?;
                for (key, child) in names.iter().zip(children.iter_mut()) {
                    child.append(key, map.get(*key).unwrap_or(&Value::Null))?;
                }
                nulls.append_non_null();
            }
        }
        Ok(())
    }

    fn append_null(&mut self) {
        match self {
            Column::Text(b) => b.append_null(),
            Column::Integer(b) => b.append_null(),
            Column::Number(b) => b.append_null(),
            Column::Boolean(b) => b.append_null(),
            Column::Timestamp(b) => b.append_null(),
            Column::List { offsets, nulls, .. } => {
                offsets.push(offsets.last().copied().unwrap_or(0));
                nulls.append_null();
            }
            // A null object still needs a slot in every child column.
            Column::Object {
                children, nulls, ..
            } => {
                for c in children.iter_mut() {
                    c.append_null();
                }
                nulls.append_null();
            }
        }
    }

    /// The column so far as an array; the builder starts over empty. A
    /// null where the schema allows none is an error, not a panic.
    fn finish(&mut self) -> Result<ArrayRef, ArrowError> {
        Ok(match self {
            Column::Text(b) => Arc::new(b.finish()),
            Column::Integer(b) => Arc::new(b.finish()),
            Column::Number(b) => Arc::new(b.finish()),
            Column::Boolean(b) => Arc::new(b.finish()),
            Column::Timestamp(b) => Arc::new(b.finish().with_timezone("UTC")),
            Column::List {
                item,
                offsets,
                nulls,
                values,
            } => {
                let taken = std::mem::replace(offsets, vec![0]);
                Arc::new(ListArray::try_new(
                    Arc::new(item.clone()),
                    OffsetBuffer::new(taken.into()),
                    values.finish()?,
                    nulls.finish(),
                )?)
            }
            Column::Object {
                fields,
                children,
                nulls,
                ..
            } => {
                let arrays = children
                    .iter_mut()
                    .map(Column::finish)
                    .collect::<Result<_, _>>()?;
                Arc::new(StructArray::try_new(
                    fields.clone(),
                    arrays,
                    nulls.finish(),
                )?)
            }
        })
    }
}

/// Streams records into a Parquet file.
pub struct Parquet {
    record: Column,
    rows: usize,
    /// `None` only when it could not be created (then `error` says why).
    writer: Option<ArrowWriter<Vec<u8>>>,
    /// The first failure; reported by the next `drain` or `finish`.
    error: Option<io::Error>,
}

fn parquet_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("parquet: {e}"))
}

impl Default for Parquet {
    /// A writer; a failure to start is reported when output is written.
    fn default() -> Parquet {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .set_created_by(format!("exitparse {}", env!("CARGO_PKG_VERSION")))
            .build();
        let (writer, error) = match ArrowWriter::try_new(Vec::new(), arrow_schema(), Some(props)) {
            Ok(w) => (Some(w), None),
            Err(e) => (None, Some(parquet_error(e))),
        };
        Parquet {
            record: Column::new(&Kind::Object(schema::record().clone())),
            rows: 0,
            writer,
            error,
        }
    }
}

impl Parquet {
    fn writer(&mut self) -> io::Result<&mut ArrowWriter<Vec<u8>>> {
        self.writer
            .as_mut()
            .ok_or_else(|| parquet_error("the writer could not be started"))
    }

    /// Hands the gathered rows to the Parquet writer as one batch.
    fn write_batch(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        self.rows = 0;
        let array = self.record.finish().map_err(parquet_error)?;
        let batch = array
            .as_any()
            .downcast_ref::<StructArray>()
            .map(RecordBatch::from)
            .ok_or_else(|| parquet_error("the record column is not a struct"))?;
        self.writer()?.write(&batch).map_err(parquet_error)
    }

    /// Moves what the writer has encoded so far to `out`. Taking the bytes
    /// out of its buffer is safe: the writer counts offsets as it writes, and
    /// the file is the concatenation of everything written.
    fn pass_on(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let bytes = std::mem::take(self.writer()?.inner_mut());
        out.write_all(&bytes)
    }
}

impl CollectFormat for Parquet {
    fn push(&mut self, record: Record) {
        if self.error.is_some() {
            return;
        }
        let result = self.record.append("record", &record.to_value());
        match result {
            Ok(()) => self.rows += 1,
            Err(e) => self.error = Some(io::Error::other(e)),
        }
        if self.rows >= BATCH
            && let Err(e) = self.write_batch()
        {
            self.error = Some(e);
        }
    }

    fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.pass_on(out)
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.write_batch()?;
        self.writer()?.finish().map_err(parquet_error)?;
        self.pass_on(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Observation, State, Status};

    #[test]
    fn writes_a_file_with_the_schema_columns() {
        let mut p = Parquet::default();
        let mut obs = Observation {
            namespace: Some("shop".into()),
            format: Some(crate::model::SourceFormat::KubectlDescribe),
            ..Observation::default()
        };
        obs.state = State {
            status: Status::Terminated,
            exit_code: Some(137),
            finished_at: Some("2025-03-04T05:06:07Z".into()),
            ..State::new(Status::Terminated)
        };
        for _ in 0..(BATCH + 3) {
            p.push(Record::new(Arc::from("x"), obs.clone()));
        }
        let mut out = Vec::new();
        p.drain(&mut out).unwrap();
        p.finish(&mut out).unwrap();
        assert_eq!(&out[..4], b"PAR1");
        assert_eq!(&out[out.len() - 4..], b"PAR1");
        let names: Vec<String> = arrow_schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names.len(), schema::record().fields.len());
    }

    #[test]
    fn a_null_the_schema_forbids_is_an_error_not_a_panic() {
        let mut p = Parquet::default();
        // No source.format: the schema says it is never null.
        p.push(Record::new(Arc::from("x"), Observation::default()));
        let err = p.finish(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("format"), "{err}");
    }
}
