//! Splits the release wasm into the first load's code and the rest.
//!
//! A first load runs a fraction of the app's functions: drawing the page and
//! replaying the learner's session. `instrument` marks every function that
//! runs (one exported global each); the profiling run loads the app in a
//! browser and reads the marks; `split` then moves every function that did not
//! run into a second module:
//!
//! - in the first module its body becomes a stub that calls through a new
//!   slot of the function table (and first, if the rest is not linked yet, the
//!   page's synchronous loader, `static/split.js`);
//! - the second module imports the first's memory, tables, globals and the
//!   functions it calls, and its element segment fills those slots when it is
//!   instantiated;
//! - the static data only moved functions can reach moves too, at the same
//!   addresses: the second module's active data segments write it into the
//!   shared memory when it is instantiated (`split_data.rs`).
//!
//! Both modules keep one numbering: functions, tables, memories and globals
//! are named by their index in the original module.

use crate::split_data;
use std::collections::{BTreeSet, HashMap, HashSet};
use walrus::ir::{UnaryOp, Value};
use walrus::{
    ConstExpr, DataKind, ElementItems, ElementKind, ExportItem, FunctionBuilder, FunctionId,
    FunctionKind, GlobalKind, ImportKind, ImportedFunction, LocalId, Module, ModuleConfig, ValType,
};

/// The import the stubs call: `layerlabLoadRest` in `static/split.js`.
const LOADER: &str = "layerlabLoadRest";
/// The first module's global that says the rest is linked.
pub const LINKED: &str = "__layerlab_rest_linked";
/// Prefix of the marks `instrument` exports, one per local function.
pub const MARK: &str = "__layerlab_ran";
/// The namespace the second module imports from.
const PRIMARY: &str = "primary";

fn parse(bytes: &[u8]) -> Result<Module, String> {
    let mut config = ModuleConfig::new();
    config.generate_producers_section(false);
    config
        .parse(bytes)
        .map_err(|e| format!("cannot read the wasm module: {e}"))
}

/// Every function, imports first, in index order.
fn functions(m: &Module) -> Vec<FunctionId> {
    m.funcs.iter().map(|f| f.id()).collect()
}

/// The local functions (those with a body), in index order: what the marks count.
fn locals(m: &Module) -> Vec<FunctionId> {
    m.funcs
        .iter()
        .filter(|f| matches!(f.kind, FunctionKind::Local(_)))
        .map(|f| f.id())
        .collect()
}

/// The module with one exported mark per local function, set when it first runs.
pub fn instrument(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut m = parse(bytes)?;
    for (i, id) in locals(&m).into_iter().enumerate() {
        let mark = m
            .globals
            .add_local(ValType::I32, true, false, ConstExpr::Value(Value::I32(0)));
        m.exports.add(&format!("{MARK}{i}"), mark);
        if let FunctionKind::Local(f) = &mut m.funcs.get_mut(id).kind {
            f.builder_mut()
                .func_body()
                .instr_at(0, walrus::ir::GlobalSet { global: mark })
                .instr_at(
                    0,
                    walrus::ir::Const {
                        value: Value::I32(1),
                    },
                );
        }
    }
    Ok(m.emit_wasm())
}

/// The two modules, and how many function bodies each holds.
pub struct Split {
    pub first: Vec<u8>,
    pub rest: Vec<u8>,
    pub kept: usize,
    pub moved: usize,
}

/// Where the moved functions go: the function table (by index among the
/// tables) and its first new slot.
struct Slots {
    table: usize,
    base: u32,
    count: u64,
}

impl Slots {
    fn grow(&self, t: &mut walrus::Table) {
        t.initial += self.count;
        if let Some(max) = t.maximum.as_mut() {
            *max = (*max).max(t.initial);
        }
    }
}

/// Moves every local function whose mark is not in `ran` into the second module.
pub fn split(bytes: &[u8], linked: &[u8], ran: &BTreeSet<usize>) -> Result<Split, String> {
    let mut first = parse(bytes)?;
    let all = functions(&first);
    let index_of: HashMap<FunctionId, usize> =
        all.iter().enumerate().map(|(k, id)| (*id, k)).collect();
    let locals = locals(&first);
    // Functions that name a data segment (`memory.init`, `data.drop`) stay,
    // with the segments they name.
    let moved: Vec<FunctionId> = locals
        .iter()
        .enumerate()
        .filter(|(i, id)| {
            !ran.contains(i)
                && matches!(&first.funcs.get(**id).kind,
                    FunctionKind::Local(f) if f.used_data_segments().is_empty())
        })
        .map(|(_, id)| *id)
        .collect();
    let moved_at: Vec<usize> = moved.iter().map(|id| index_of[id]).collect();
    let moved_data = data_to_move(&first, linked, &moved)?;

    let table = first
        .tables
        .main_function_table()
        .map_err(|e| e.to_string())?
        .ok_or("the wasm module has no function table")?;
    let tables: Vec<_> = first.tables.iter().map(|t| t.id()).collect();
    let memories: Vec<_> = first.memories.iter().map(|m| m.id()).collect();
    let globals: Vec<_> = first.globals.iter().map(|g| g.id()).collect();
    let slots = Slots {
        table: tables.iter().position(|t| *t == table).unwrap_or(0),
        base: u32::try_from(first.tables.get(table).initial)
            .map_err(|_| "the function table is too large")?,
        count: moved.len() as u64,
    };
    slots.grow(first.tables.get_mut(table));
    stub_out(&mut first, &moved, table, slots.base)?;
    let data: Vec<_> = first.data.iter().map(|d| d.id()).collect();
    for (index, id) in data.into_iter().enumerate() {
        if moved_data.segments.contains(&index) {
            first.data.delete(id);
            for m in first.memories.iter_mut() {
                m.data_segments.remove(&id);
            }
        }
    }
    merge_close_segments(&mut first, MERGE_GAP, &[]);

    let mut rest = rest_module(bytes, &moved_at, &slots, &moved_data.segments)?;
    walrus::passes::gc::run(&mut rest);
    merge_close_segments(&mut rest, MERGE_GAP, &moved_data.staying);

    // The first module exports what the second imports, by the same names.
    for import in rest.imports.iter().filter(|i| i.module == PRIMARY) {
        let name = &import.name;
        let (kind, n) = name.split_at(1);
        let n: usize = n.parse().map_err(|_| format!("bad import name {name}"))?;
        let item = match kind {
            "f" => ExportItem::Function(all[n]),
            "t" => ExportItem::Table(tables[n]),
            "m" => ExportItem::Memory(memories[n]),
            "g" => ExportItem::Global(globals[n]),
            _ => return Err(format!("bad import name {name}")),
        };
        if first.exports.iter().any(|e| e.name == *name) {
            return Err(format!("the wasm module already exports {name}"));
        }
        first.exports.add(name, item);
    }
    walrus::passes::gc::run(&mut first);
    Ok(Split {
        first: first.emit_wasm(),
        rest: rest.emit_wasm(),
        kept: locals.len() - moved.len(),
        moved: moved.len(),
    })
}

/// What of the data moves: the segments (by index) that only moved functions
/// can reach (`split_data.rs`), and where the objects that may not move lie.
struct DataMove {
    segments: BTreeSet<usize>,
    /// Where the objects that stay in the first module lie, from where to
    /// where: the second module may write nothing there.
    staying: Vec<(u64, u64)>,
}

/// Which data segments move. `linked` is the module as the linker wrote it,
/// one data segment per static object, named by its section: wasm-opt may
/// have split an object at a run of zeros, and what reaches an object reaches
/// all its pieces. Only read-only objects (`.rodata.*`) move: a mutable one
/// that the first module's code had written would be overwritten when the
/// second module is instantiated.
fn data_to_move(m: &Module, linked: &[u8], moved: &[FunctionId]) -> Result<DataMove, String> {
    let linked = parse(linked)?;
    let objects = split_data::placed(&linked);
    let read_only: HashSet<usize> = linked
        .data
        .iter()
        .enumerate()
        .filter(|(_, d)| d.name.as_deref().is_some_and(|n| n.starts_with(".rodata.")))
        .map(|(i, _)| i)
        .collect();
    let object_bytes: Vec<&[u8]> = linked.data.iter().map(|d| d.value.as_slice()).collect();
    let segments = split_data::placed(m);
    let segment_bytes: Vec<&[u8]> = m.data.iter().map(|d| d.value.as_slice()).collect();
    // The object each segment is a piece of, by its index among the linked data.
    let mut object_of = Vec::with_capacity(segments.len());
    for s in &segments {
        let k = objects.partition_point(|o| o.start <= s.start);
        let piece = k.checked_sub(1).map(|k| objects[k]).filter(|o| {
            let at = (s.start - o.start) as usize;
            s.end <= o.end
                && object_bytes[o.index].get(at..at + segment_bytes[s.index].len())
                    == Some(segment_bytes[s.index])
        });
        let o = piece.ok_or_else(|| {
            format!(
                "the data at {:#x} is not in the linked module's data: \
                 the optimised wasm and the linked one come from different builds",
                s.start
            )
        })?;
        object_of.push(o.index);
    }
    let moved: HashSet<FunctionId> = moved.iter().copied().collect();
    let kept: Vec<FunctionId> = locals(m)
        .into_iter()
        .filter(|id| !moved.contains(id))
        .collect();
    let roots = split_data::roots(m, &kept);
    let kept = split_data::kept(&objects, |i| object_bytes[i], &roots, split_data::MARGIN);
    let stays = |o: &usize| kept.contains(o) || !read_only.contains(o);
    let staying = objects
        .iter()
        .filter(|o| stays(&o.index))
        .map(|o| (o.start, o.end))
        .collect();
    let segments = segments
        .iter()
        .zip(object_of)
        .filter(|(_, o)| !stays(o))
        .map(|(s, _)| s.index)
        .collect();
    Ok(DataMove { segments, staying })
}

/// Active segments closer than this are written as one, the bytes between
/// them as zeros: each segment costs a few bytes of header.
const MERGE_GAP: u64 = 16;

/// Writes active segments less than `gap` bytes apart as one, unless what
/// lies between meets one of the ranges `keep_out`. The first module is
/// instantiated before anything runs, on zeroed memory: what lies between its
/// segments is padding, zeros, or a moved object that the second module writes
/// later. The second module's zeros between two segments may only fall on
/// padding or on the zeros of moved objects, never on an object that stays.
fn merge_close_segments(m: &mut Module, gap: u64, keep_out: &[(u64, u64)]) {
    let clear = |from: u64, to: u64| keep_out.iter().all(|(s, e)| *e <= from || *s >= to);
    let placed = split_data::placed(m);
    let ids: Vec<_> = m.data.iter().map(|d| d.id()).collect();
    let mut runs: Vec<Vec<split_data::Placed>> = Vec::new();
    for p in placed {
        match runs.last_mut() {
            Some(run)
                if run.last().is_some_and(|q| {
                    q.end <= p.start && p.start - q.end <= gap && clear(q.end, p.start)
                }) =>
            {
                run.push(p)
            }
            _ => runs.push(vec![p]),
        }
    }
    for run in runs.into_iter().filter(|r| r.len() > 1) {
        let start = run[0].start;
        let mut value = Vec::new();
        let mut memory = None;
        for p in &run {
            let d = m.data.get(ids[p.index]);
            if let DataKind::Active { memory: mem, .. } = d.kind {
                memory = Some(mem);
            }
            value.resize((p.start - start) as usize, 0);
            value.extend_from_slice(&d.value);
        }
        let Some(memory) = memory else { continue };
        for p in &run {
            m.data.delete(ids[p.index]);
            m.memories
                .get_mut(memory)
                .data_segments
                .remove(&ids[p.index]);
        }
        let id = m.data.add(
            DataKind::Active {
                memory,
                offset: ConstExpr::Value(Value::I32(start as i32)),
            },
            value,
        );
        m.memories.get_mut(memory).data_segments.insert(id);
    }
}

/// Replaces the body of each moved function with a stub: if the rest is not
/// linked, call the loader; then call slot `base + j` with the same arguments.
fn stub_out(
    first: &mut Module,
    moved: &[FunctionId],
    table: walrus::TableId,
    base: u32,
) -> Result<(), String> {
    let loader = first
        .imports
        .iter()
        .find(|i| i.name == LOADER && i.module.ends_with("split.js"))
        .and_then(|i| match i.kind {
            ImportKind::Function(f) => Some(f),
            _ => None,
        })
        .ok_or("the wasm module does not import the loader (src/split.rs)")?;
    let linked =
        first
            .globals
            .add_local(ValType::I32, true, false, ConstExpr::Value(Value::I32(0)));
    first.exports.add(LINKED, linked);
    for (slot, id) in (base..).zip(moved) {
        let ty = first.funcs.get(*id).ty();
        let (params, results) = {
            let t = first.types.get(ty);
            (t.params().to_vec(), t.results().to_vec())
        };
        let args: Vec<LocalId> = params.iter().map(|p| first.locals.add(*p)).collect();
        let mut stub = FunctionBuilder::new(&mut first.types, &params, &results);
        let mut body = stub.func_body();
        body.global_get(linked).unop(UnaryOp::I32Eqz).if_else(
            None,
            |then| {
                then.call(loader);
            },
            |_| {},
        );
        for a in &args {
            body.local_get(*a);
        }
        let slot = i32::try_from(slot).map_err(|_| "the function table is too large")?;
        body.i32_const(slot).call_indirect(ty, table);
        first.funcs.get_mut(*id).kind = FunctionKind::Local(stub.local_func(args));
    }
    Ok(())
}

/// The second module: the original with every function that is not moved, and
/// every memory, table and global, imported from the first (by index), of the
/// data only the segments `moved_data` (by index), no exports or start, and
/// one element segment putting the moved functions (at
/// `moved_at`, in that order) into the new slots.
fn rest_module(
    bytes: &[u8],
    moved_at: &[usize],
    slots: &Slots,
    moved_data: &BTreeSet<usize>,
) -> Result<Module, String> {
    let mut rest = parse(bytes)?;
    let all = functions(&rest);
    let moved: HashSet<usize> = moved_at.iter().copied().collect();
    for (k, id) in all.iter().enumerate() {
        let f = rest.funcs.get(*id);
        let ty = f.ty();
        match &f.kind {
            FunctionKind::Import(i) => {
                let import = rest.imports.get_mut(i.import);
                import.module = PRIMARY.into();
                import.name = format!("f{k}");
            }
            FunctionKind::Local(_) if !moved.contains(&k) => {
                let import = rest
                    .imports
                    .add(PRIMARY, &format!("f{k}"), ImportKind::Function(*id));
                rest.funcs.get_mut(*id).kind =
                    FunctionKind::Import(ImportedFunction { import, ty });
            }
            _ => {}
        }
    }
    let tables: Vec<_> = rest.tables.iter().map(|t| t.id()).collect();
    for (n, id) in tables.iter().enumerate() {
        let import = rest.imports.add(PRIMARY, &format!("t{n}"), *id);
        let t = rest.tables.get_mut(*id);
        t.import = Some(import);
        t.elem_segments.clear();
        if n == slots.table {
            slots.grow(t);
        }
    }
    let memories: Vec<_> = rest.memories.iter().map(|m| m.id()).collect();
    for (n, id) in memories.iter().enumerate() {
        let import = rest.imports.add(PRIMARY, &format!("m{n}"), *id);
        let m = rest.memories.get_mut(*id);
        m.import = Some(import);
        m.data_segments.clear();
    }
    let data: Vec<_> = rest.data.iter().map(|d| d.id()).collect();
    for (index, id) in data.into_iter().enumerate() {
        if moved_data.contains(&index) {
            if let DataKind::Active { memory, .. } = rest.data.get(id).kind {
                rest.memories.get_mut(memory).data_segments.insert(id);
            }
        } else {
            rest.data.delete(id);
        }
    }
    let globals: Vec<_> = rest.globals.iter().map(|g| g.id()).collect();
    for (n, id) in globals.iter().enumerate() {
        let import = rest.imports.add(PRIMARY, &format!("g{n}"), *id);
        rest.globals.get_mut(*id).kind = GlobalKind::Import(import);
    }
    let elements: Vec<_> = rest.elements.iter().map(|e| e.id()).collect();
    for e in elements {
        rest.elements.delete(e);
    }
    let exports: Vec<_> = rest.exports.iter().map(|e| e.id()).collect();
    for e in exports {
        rest.exports.delete(e);
    }
    rest.start = None;
    let customs: Vec<String> = rest
        .customs
        .iter()
        .map(|(_, c)| c.name().to_owned())
        .collect();
    for name in customs {
        rest.customs.remove_raw(&name);
    }
    let table = *tables
        .get(slots.table)
        .ok_or("the second module lost its function table")?;
    let segment = rest.elements.add(
        ElementKind::Active {
            table,
            offset: ConstExpr::Value(Value::I32(slots.base as i32)),
        },
        ElementItems::Functions(moved_at.iter().map(|k| all[*k]).collect()),
    );
    rest.tables.get_mut(table).elem_segments.insert(segment);
    Ok(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use walrus::ir::{BinaryOp, MemArg, StoreKind};
    use walrus::RefType;

    /// A module like the app's, in small: the loader import, a memory with data,
    /// a function table, a global, and three functions that call each other:
    /// `entry` (exported) → `twice` → `store` (which writes memory).
    fn module() -> Vec<u8> {
        let mut m = Module::with_config(ModuleConfig::new());
        let void = m.types.add(&[], &[]);
        m.add_import_func("./snippets/app/static/split.js", LOADER, void);
        let memory = m.memories.add_local(false, false, 1, None, None);
        m.data.add(
            walrus::DataKind::Active {
                memory,
                offset: ConstExpr::Value(Value::I32(8)),
            },
            b"data".to_vec(),
        );
        let table = m.tables.add_local(false, 1, Some(1), RefType::FUNCREF);
        let counter =
            m.globals
                .add_local(ValType::I32, true, false, ConstExpr::Value(Value::I32(0)));

        let mut store = FunctionBuilder::new(&mut m.types, &[ValType::I32], &[]);
        let x = m.locals.add(ValType::I32);
        store
            .func_body()
            .i32_const(0)
            .local_get(x)
            .store(
                memory,
                StoreKind::I32 { atomic: false },
                MemArg {
                    align: 4,
                    offset: 0,
                },
            )
            .global_get(counter)
            .i32_const(1)
            .binop(BinaryOp::I32Add)
            .global_set(counter);
        let store = store.finish(vec![x], &mut m.funcs);

        let mut twice = FunctionBuilder::new(&mut m.types, &[ValType::I32], &[ValType::I32]);
        let y = m.locals.add(ValType::I32);
        twice
            .func_body()
            .local_get(y)
            .call(store)
            .local_get(y)
            .local_get(y)
            .binop(BinaryOp::I32Add);
        let twice = twice.finish(vec![y], &mut m.funcs);

        let mut entry = FunctionBuilder::new(&mut m.types, &[], &[ValType::I32]);
        entry.func_body().i32_const(21).call(twice);
        let entry = entry.finish(vec![], &mut m.funcs);
        m.exports.add("entry", entry);
        let segment = m.elements.add(
            ElementKind::Active {
                table,
                offset: ConstExpr::Value(Value::I32(0)),
            },
            ElementItems::Functions(vec![twice]),
        );
        m.tables.get_mut(table).elem_segments.insert(segment);
        m.emit_wasm()
    }

    fn valid(bytes: &[u8]) {
        wasmparser::Validator::new()
            .validate_all(bytes)
            .expect("a valid module");
    }

    fn import_names(bytes: &[u8]) -> Vec<String> {
        let m = parse(bytes).expect("parse");
        let mut names: Vec<String> = m
            .imports
            .iter()
            .map(|i| format!("{}/{}", i.module, i.name))
            .collect();
        names.sort();
        names
    }

    fn export_names(bytes: &[u8]) -> Vec<String> {
        let m = parse(bytes).expect("parse");
        let mut names: Vec<String> = m.exports.iter().map(|e| e.name.clone()).collect();
        names.sort();
        names
    }

    #[test]
    fn instrumenting_exports_one_mark_per_function_and_keeps_the_module_valid() {
        let bytes = instrument(&module()).expect("instrument");
        valid(&bytes);
        let marks: Vec<String> = export_names(&bytes)
            .into_iter()
            .filter(|n| n.starts_with(MARK))
            .collect();
        assert_eq!(
            marks,
            [format!("{MARK}0"), format!("{MARK}1"), format!("{MARK}2")]
        );
    }

    struct Case {
        /// The local functions that ran: 0 `store`, 1 `twice`, 2 `entry`.
        ran: &'static [usize],
        moved: usize,
        /// What the second module imports, and the first exports.
        imports: &'static [&'static str],
        exports: &'static [&'static str],
    }

    /// `store` writes memory but uses no data segment, so it can move.
    const CASES: &[Case] = &[
        Case {
            ran: &[2],
            moved: 2,
            imports: &["primary/g0", "primary/m0", "primary/t0"],
            exports: &["__layerlab_rest_linked", "entry", "g0", "m0", "t0"],
        },
        Case {
            ran: &[0, 2],
            moved: 1,
            imports: &["primary/f1", "primary/t0"],
            exports: &["__layerlab_rest_linked", "entry", "f1", "t0"],
        },
        Case {
            ran: &[0, 1, 2],
            moved: 0,
            imports: &["primary/t0"],
            exports: &["__layerlab_rest_linked", "entry", "t0"],
        },
    ];

    #[test]
    fn the_rest_imports_exactly_what_the_first_module_exports() {
        for case in CASES {
            let ran: BTreeSet<usize> = case.ran.iter().copied().collect();
            let s = split(&module(), &module(), &ran).expect("split");
            valid(&s.first);
            valid(&s.rest);
            assert_eq!(s.moved, case.moved, "moved, ran {ran:?}");
            assert_eq!(s.kept + s.moved, 3);
            assert_eq!(import_names(&s.rest), case.imports, "imports, ran {ran:?}");
            assert_eq!(export_names(&s.first), case.exports, "exports, ran {ran:?}");
        }
    }

    #[test]
    fn the_first_module_grows_its_table_by_one_slot_per_moved_function() {
        let s = split(&module(), &module(), &BTreeSet::from([2])).expect("split");
        let first = parse(&s.first).expect("parse");
        let table = first.tables.main_function_table().unwrap().unwrap();
        assert_eq!(first.tables.get(table).initial, 3);
        let rest = parse(&s.rest).expect("parse");
        let segments: Vec<_> = rest.elements.iter().collect();
        assert_eq!(segments.len(), 1);
        match (&segments[0].kind, &segments[0].items) {
            (ElementKind::Active { offset, .. }, ElementItems::Functions(f)) => {
                assert!(matches!(offset, ConstExpr::Value(Value::I32(1))));
                assert_eq!(f.len(), 2);
            }
            other => panic!("unexpected segment {other:?}"),
        }
        assert!(
            rest.data.iter().next().is_none(),
            "the rest carries no data"
        );
    }

    /// A module whose two exported functions each read a read-only object of
    /// their own (`first`, `rest`), far apart. `first` points to `pointee`
    /// and `rest` to `tail`, which no code names; `pointee` lies in the few
    /// bytes between `rest` and `tail`. `state` is writable, and no code names it.
    fn module_with_objects() -> Vec<u8> {
        let mut m = Module::with_config(ModuleConfig::new());
        let void = m.types.add(&[], &[]);
        m.add_import_func("./snippets/app/static/split.js", LOADER, void);
        let memory = m.memories.add_local(false, false, 20, None, None);
        for (name, at, value) in objects() {
            let id = m.data.add(
                walrus::DataKind::Active {
                    memory,
                    offset: ConstExpr::Value(Value::I32(at as i32)),
                },
                value,
            );
            m.data.get_mut(id).name = Some(name.into());
            m.memories.get_mut(memory).data_segments.insert(id);
        }
        m.tables.add_local(false, 1, Some(1), RefType::FUNCREF);
        for (name, at) in [("reads_first", FIRST), ("reads_rest", REST)] {
            let mut f = FunctionBuilder::new(&mut m.types, &[], &[ValType::I32]);
            f.func_body().i32_const(at as i32).load(
                memory,
                walrus::ir::LoadKind::I32 { atomic: false },
                MemArg {
                    align: 4,
                    offset: 0,
                },
            );
            let f = f.finish(vec![], &mut m.funcs);
            m.exports.add(name, f);
        }
        m.emit_wasm()
    }

    const FIRST: u32 = 0x10_0000;
    const REST: u32 = 0x11_0000;
    const POINTEE: u32 = 0x11_0008;
    const TAIL: u32 = 0x11_0010;
    const STATE: u32 = 0x12_0000;

    /// (section name, address, bytes) of each object.
    fn objects() -> [(&'static str, u32, Vec<u8>); 5] {
        [
            (".rodata.first", FIRST, POINTEE.to_le_bytes().to_vec()),
            (".rodata.rest", REST, TAIL.to_le_bytes().to_vec()),
            (".rodata.pointee", POINTEE, b"pointee".to_vec()),
            (".rodata.tail", TAIL, b"tail".to_vec()),
            (".data.state", STATE, b"state".to_vec()),
        ]
    }

    /// A module's active data segments: (address, bytes).
    fn data_of(bytes: &[u8]) -> Vec<(u32, Vec<u8>)> {
        let m = parse(bytes).expect("parse");
        m.data
            .iter()
            .map(|d| match d.kind {
                walrus::DataKind::Active {
                    offset: ConstExpr::Value(Value::I32(at)),
                    ..
                } => (at as u32, d.value.clone()),
                _ => panic!("unexpected segment {d:?}"),
            })
            .collect()
    }

    /// The objects (by address) that `data` writes whole, and those it writes
    /// any byte of.
    fn written(data: &[(u32, Vec<u8>)]) -> (Vec<u32>, Vec<u32>) {
        let covers = |at: u32, len: usize| {
            data.iter()
                .filter(|(s, v)| *s < at + len as u32 && at < *s + v.len() as u32)
                .count()
        };
        let whole = objects()
            .into_iter()
            .filter(|(_, at, v)| {
                data.iter().any(|(s, bytes)| {
                    let from = at.wrapping_sub(*s) as usize;
                    *s <= *at && bytes.get(from..from + v.len()) == Some(v.as_slice())
                })
            })
            .map(|(_, at, _)| at)
            .collect();
        let touched = objects()
            .into_iter()
            .filter(|(_, at, v)| covers(*at, v.len()) > 0)
            .map(|(_, at, _)| at)
            .collect();
        (whole, touched)
    }

    #[test]
    fn read_only_data_only_moved_functions_reach_moves_with_them_at_its_address() {
        // Local functions: 0 `reads_first`, 1 `reads_rest`. The second module
        // writes exactly the objects that move, whole, and nothing of the
        // others; a writable object never moves.
        let cases: [(&[usize], &[u32], &[u32]); 3] = [
            (&[0], &[FIRST, POINTEE, STATE], &[REST, TAIL]),
            (&[0, 1], &[FIRST, REST, POINTEE, TAIL, STATE], &[]),
            (&[], &[STATE], &[FIRST, REST, POINTEE, TAIL]),
        ];
        for (ran, first, rest) in cases {
            let s = split(
                &module_with_objects(),
                &module_with_objects(),
                &ran.iter().copied().collect(),
            )
            .expect("split");
            valid(&s.first);
            valid(&s.rest);
            let (first_whole, _) = written(&data_of(&s.first));
            let (rest_whole, rest_touched) = written(&data_of(&s.rest));
            assert_eq!(first_whole, first, "first, ran {ran:?}");
            assert_eq!(rest_whole, rest, "rest, ran {ran:?}");
            assert_eq!(rest_touched, rest, "rest writes over, ran {ran:?}");
        }
    }

    #[test]
    fn a_module_without_the_loader_is_refused() {
        let mut m = parse(&module()).expect("parse");
        let loader: Vec<_> = m.imports.iter().map(|i| i.id()).collect();
        for i in loader {
            m.imports.get_mut(i).name = "somethingElse".into();
        }
        let bytes = m.emit_wasm();
        let e = split(&bytes, &bytes, &BTreeSet::new()).err();
        assert!(e.is_some_and(|e| e.contains("loader")));
    }
}
