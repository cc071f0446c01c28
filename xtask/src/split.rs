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
//!   instantiated.
//!
//! Both modules keep one numbering: functions, tables, memories and globals
//! are named by their index in the original module.

use std::collections::{BTreeSet, HashMap, HashSet};
use walrus::ir::{UnaryOp, Value};
use walrus::{
    ConstExpr, ElementItems, ElementKind, ExportItem, FunctionBuilder, FunctionId, FunctionKind,
    GlobalKind, ImportKind, ImportedFunction, LocalId, Module, ModuleConfig, ValType,
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
pub fn split(bytes: &[u8], ran: &BTreeSet<usize>) -> Result<Split, String> {
    let mut first = parse(bytes)?;
    let all = functions(&first);
    let index_of: HashMap<FunctionId, usize> =
        all.iter().enumerate().map(|(k, id)| (*id, k)).collect();
    let locals = locals(&first);
    // Functions that touch data segments stay: the second module has none.
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

    let mut rest = rest_module(bytes, &moved_at, &slots)?;
    walrus::passes::gc::run(&mut rest);

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
/// every memory, table and global, imported from the first (by index), no data,
/// exports or start, and one element segment putting the moved functions (at
/// `moved_at`, in that order) into the new slots.
fn rest_module(bytes: &[u8], moved_at: &[usize], slots: &Slots) -> Result<Module, String> {
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
    let globals: Vec<_> = rest.globals.iter().map(|g| g.id()).collect();
    for (n, id) in globals.iter().enumerate() {
        let import = rest.imports.add(PRIMARY, &format!("g{n}"), *id);
        rest.globals.get_mut(*id).kind = GlobalKind::Import(import);
    }
    let data: Vec<_> = rest.data.iter().map(|d| d.id()).collect();
    for d in data {
        rest.data.delete(d);
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
            let s = split(&module(), &ran).expect("split");
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
        let s = split(&module(), &BTreeSet::from([2])).expect("split");
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

    #[test]
    fn a_module_without_the_loader_is_refused() {
        let mut m = parse(&module()).expect("parse");
        let loader: Vec<_> = m.imports.iter().map(|i| i.id()).collect();
        for i in loader {
            m.imports.get_mut(i).name = "somethingElse".into();
        }
        let e = split(&m.emit_wasm(), &BTreeSet::new()).err();
        assert!(e.is_some_and(|e| e.contains("loader")));
    }
}
