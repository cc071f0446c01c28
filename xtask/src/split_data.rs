//! Which data moves with the functions: the read-only static objects that
//! only the rest of the code can reach.
//!
//! The app's binary is linked with `--no-merge-data-segments` (`build.rs`),
//! so the linked module has one data segment per static object, named by its
//! section (wasm-opt may then cut one at a run of zeros, never join two;
//! `split.rs` maps its pieces back). An object stays in the first module when
//! the code that stays could reach it, conservatively:
//!
//! - every address a kept function uses as it is: each `i32.const`, both
//!   32-bit halves of each `i64.const` (LLVM stores a `(pointer, length)` pair
//!   as one i64), a constant address plus the constant offset of the load or
//!   store it feeds, and every global's initial value;
//! - every address an index is added to (a load's or store's constant offset,
//!   into which LLVM folds a static's address, or a constant before an
//!   `i32.add`), with every object up to `MARGIN` bytes above it: a `match`
//!   compiled to a lookup table may name the table's address less its first
//!   index;
//! - then every object a 4-byte word of a kept object points into or just
//!   past (vtables, string slices in tables), until nothing more is kept.
//!
//! Segments that are passive or not at a constant address always stay. A
//! moved object keeps its address: the second module writes it into the
//! shared memory when it is instantiated, before any of its functions can run.

use std::collections::BTreeSet;
use walrus::ir::{dfs_in_order, BinaryOp, Instr, InstrLocId, Value, Visitor};
use walrus::{ConstExpr, DataKind, FunctionId, FunctionKind, GlobalKind, Module};

/// How far above an address an index is added to an object still counts as
/// reached: a table of 4-byte entries indexed by a byte.
pub const MARGIN: u64 = 1024;

/// An active data segment at a constant address: its index among the
/// module's data segments, and the bytes it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub index: usize,
    pub start: u64,
    pub end: u64,
}

/// The module's active segments at constant addresses, by address. (The
/// others always stay where they are.)
pub fn placed(m: &Module) -> Vec<Placed> {
    let mut placed: Vec<Placed> = m
        .data
        .iter()
        .enumerate()
        .filter_map(|(index, d)| match &d.kind {
            DataKind::Active {
                offset: ConstExpr::Value(Value::I32(at)),
                ..
            } => {
                let start = u64::from(*at as u32);
                Some(Placed {
                    index,
                    start,
                    end: start + d.value.len() as u64,
                })
            }
            _ => None,
        })
        .collect();
    placed.sort_by_key(|p| (p.start, p.end));
    placed
}

/// The addresses one function's body names, from its constants and the
/// constant offsets of its loads and stores.
#[derive(Default)]
struct Named {
    roots: Roots,
    /// The instructions just before this one in its sequence, latest last.
    before: Vec<Instr>,
}

/// Addresses the code names, in two kinds.
#[derive(Default)]
pub struct Roots {
    /// Addresses used as they are: an object's start, or a field inside it.
    pub pointers: Vec<u64>,
    /// Addresses an index is added to: a table's, or its address less its
    /// first index (how LLVM compiles a `match` to a lookup table).
    pub indexed: Vec<u64>,
}

fn const_i32(i: Option<&Instr>) -> Option<u64> {
    match i {
        Some(Instr::Const(c)) => match c.value {
            Value::I32(v) => Some(u64::from(v as u32)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `i` pushes one value and pops none.
fn pushes_only(i: Option<&Instr>) -> bool {
    matches!(
        i,
        Some(Instr::Const(_) | Instr::LocalGet(_) | Instr::GlobalGet(_))
    )
}

impl<'i> Visitor<'i> for Named {
    fn start_instr_seq(&mut self, _: &'i walrus::ir::InstrSeq) {
        self.before.clear();
    }

    fn visit_instr(&mut self, instr: &'i Instr, _: &'i InstrLocId) {
        let last = self.before.last();
        let second = self
            .before
            .len()
            .checked_sub(2)
            .and_then(|k| self.before.get(k));
        // The memory access's constant offset, and its address operand when
        // that is a constant.
        let access = match instr {
            Instr::Load(i) => Some((i.arg.offset, const_i32(last))),
            Instr::LoadSimd(i) => Some((i.arg.offset, const_i32(last))),
            Instr::AtomicWait(i) => Some((i.arg.offset, None)),
            Instr::Store(i) => Some((
                i.arg.offset,
                pushes_only(last).then(|| const_i32(second)).flatten(),
            )),
            Instr::AtomicRmw(i) => Some((
                i.arg.offset,
                pushes_only(last).then(|| const_i32(second)).flatten(),
            )),
            Instr::AtomicNotify(i) => Some((
                i.arg.offset,
                pushes_only(last).then(|| const_i32(second)).flatten(),
            )),
            Instr::Cmpxchg(i) => Some((i.arg.offset, None)),
            _ => None,
        };
        match (instr, access) {
            (_, Some((offset, Some(base)))) => self.roots.pointers.push(base + offset),
            (_, Some((offset, None))) => self.roots.indexed.push(offset),
            (Instr::Binop(b), None) if matches!(b.op, BinaryOp::I32Add | BinaryOp::I32Sub) => {
                if let Some(c) = const_i32(last) {
                    self.roots.indexed.push(c);
                }
                if let Some(c) = const_i32(second) {
                    self.roots.indexed.push(c);
                }
            }
            (Instr::Const(c), None) => match c.value {
                Value::I32(v) => self.roots.pointers.push(u64::from(v as u32)),
                Value::I64(v) => {
                    self.roots.pointers.push(v as u64 & 0xffff_ffff);
                    self.roots.pointers.push(v as u64 >> 32);
                }
                Value::V128(v) => {
                    for k in 0..4 {
                        self.roots
                            .pointers
                            .push((v >> (32 * k)) as u64 & 0xffff_ffff);
                    }
                }
                Value::F32(_) | Value::F64(_) => {}
            },
            _ => {}
        }
        if self.before.len() == 2 {
            self.before.remove(0);
        }
        self.before.push(instr.clone());
    }
}

/// Every address that the functions `kept` and the module's globals name.
pub fn roots(m: &Module, kept: &[FunctionId]) -> Roots {
    let mut roots = Roots::default();
    for id in kept {
        if let FunctionKind::Local(f) = &m.funcs.get(*id).kind {
            let mut named = Named::default();
            dfs_in_order(&mut named, f, f.entry_block());
            roots.pointers.append(&mut named.roots.pointers);
            roots.indexed.append(&mut named.roots.indexed);
        }
    }
    for g in m.globals.iter() {
        if let GlobalKind::Local(ConstExpr::Value(Value::I32(v))) = g.kind {
            roots.pointers.push(u64::from(v as u32));
        }
    }
    roots
}

/// The objects among `objects` that stay (by their `index`): those the code
/// names, and transitively those a word of a kept object points into.
/// `bytes(index)` is an object's content. An address used as it is keeps the
/// object it falls in (or ends at); one an index is added to keeps every object
/// from just below it to `margin` bytes above it.
pub fn kept<'a>(
    objects: &[Placed],
    bytes: impl Fn(usize) -> &'a [u8],
    roots: &Roots,
    margin: u64,
) -> BTreeSet<usize> {
    let (Some(lo), Some(hi)) = (
        objects.iter().map(|p| p.start).min(),
        objects.iter().map(|p| p.end).max(),
    ) else {
        return BTreeSet::new();
    };
    let mut kept = BTreeSet::new();
    let mut queue: Vec<usize> = Vec::new();
    // Every object that meets [from, to], by position in `objects`; whether any did.
    let mut reach = |from: u64, to: u64, queue: &mut Vec<usize>| {
        let mut any = false;
        let first = objects.partition_point(|p| p.end <= from);
        for (k, p) in objects.iter().enumerate().skip(first) {
            if p.start > to {
                break;
            }
            any = true;
            if kept.insert(k) {
                queue.push(k);
            }
        }
        any
    };
    let near = |r: u64| r + margin >= lo && r <= hi + margin;
    for r in roots.pointers.iter().copied().filter(|r| near(*r)) {
        // Between two objects (in their padding) it may be an object's
        // address less a small index, as below.
        if !reach(r.saturating_sub(1), r, &mut queue) {
            reach(r.saturating_sub(1), r + margin, &mut queue);
        }
    }
    for r in roots.indexed.iter().copied().filter(|r| near(*r)) {
        reach(r.saturating_sub(1), r + margin, &mut queue);
    }
    while let Some(k) = queue.pop() {
        let p = objects[k];
        // A pointer is 4-byte aligned, and so is every object that holds
        // one: one placed at another address (a string, bytes) holds none,
        // whatever its words happen to look like.
        if !p.start.is_multiple_of(4) {
            continue;
        }
        for word in bytes(p.index).chunks_exact(4) {
            let v = u64::from(u32::from_le_bytes([word[0], word[1], word[2], word[3]]));
            if v >= lo && v <= hi {
                // A pointer to an object's start, or just past its end.
                reach(v.saturating_sub(1), v, &mut queue);
            }
        }
    }
    kept.into_iter().map(|k| objects[k].index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use walrus::ir::{LoadKind, MemArg, StoreKind};
    use walrus::{FunctionBuilder, InstrSeqBuilder, LocalId, MemoryId, ModuleConfig, ValType};

    fn at(offset: u64) -> MemArg {
        MemArg { align: 4, offset }
    }

    fn load(b: &mut InstrSeqBuilder, mem: MemoryId, offset: u64) {
        b.load(mem, LoadKind::I32 { atomic: false }, at(offset));
    }

    /// (what, body, the addresses used as they are, those an index is added to)
    type Body = fn(&mut InstrSeqBuilder, MemoryId, LocalId);
    const BODIES: &[(&str, Body, &[u64], &[u64])] = &[
        (
            "a constant address and its load's offset",
            |b, mem, _| {
                b.i32_const(100);
                load(b, mem, 4);
            },
            &[100, 104],
            &[],
        ),
        (
            "a static's address folded into an offset",
            |b, mem, x| {
                b.local_get(x);
                load(b, mem, 2000);
            },
            &[],
            &[2000],
        ),
        (
            "a constant an index is added to",
            |b, mem, x| {
                b.local_get(x).i32_const(3000).binop(BinaryOp::I32Add);
                load(b, mem, 0);
            },
            &[3000],
            &[3000, 0],
        ),
        (
            "a pointer and a length stored as one i64",
            |b, _, _| {
                b.i64_const((5 << 32) | 7).drop();
            },
            &[7, 5],
            &[],
        ),
        (
            "a store to a constant address",
            |b, mem, x| {
                b.i32_const(4000)
                    .local_get(x)
                    .store(mem, StoreKind::I32 { atomic: false }, at(8));
            },
            &[4000, 4008],
            &[],
        ),
    ];

    #[test]
    fn the_code_names_addresses_as_they_are_or_with_an_index_added() {
        for (what, body, pointers, indexed) in BODIES {
            let mut m = Module::with_config(ModuleConfig::new());
            let mem = m.memories.add_local(false, false, 1, None, None);
            let x = m.locals.add(ValType::I32);
            let mut f = FunctionBuilder::new(&mut m.types, &[ValType::I32], &[]);
            body(&mut f.func_body(), mem, x);
            let f = f.finish(vec![x], &mut m.funcs);
            let roots = roots(&m, &[f]);
            assert_eq!(roots.pointers, *pointers, "{what}");
            assert_eq!(roots.indexed, *indexed, "{what}");
        }
    }

    /// Five objects: 0 at 1000..1008 holds a pointer to 2 and one to 3's end;
    /// 1 at 1100..1104; 2 at 2000..2004; 3 at 3000..3016; 4, bytes at an odd
    /// address (4001..4009), whose aligned word at 4004 reads as 2000.
    fn objects() -> (Vec<Placed>, Vec<Vec<u8>>) {
        let mut zero = Vec::new();
        zero.extend_from_slice(&2000u32.to_le_bytes());
        zero.extend_from_slice(&3016u32.to_le_bytes());
        let mut four = vec![b'a'; 3];
        four.extend_from_slice(&2000u32.to_le_bytes());
        four.push(b'z');
        let values = vec![zero, vec![1; 4], vec![2; 4], vec![3; 16], four];
        let at = [1000, 1100, 2000, 3000, 4001];
        let placed = values
            .iter()
            .zip(at)
            .enumerate()
            .map(|(index, (v, start))| Placed {
                index,
                start,
                end: start + v.len() as u64,
            })
            .collect();
        (placed, values)
    }

    struct Case {
        what: &'static str,
        pointers: &'static [u64],
        indexed: &'static [u64],
        margin: u64,
        kept: &'static [usize],
    }

    const CASES: &[Case] = &[
        Case {
            what: "nothing named, nothing kept",
            pointers: &[],
            indexed: &[],
            margin: 0,
            kept: &[],
        },
        Case {
            what: "an address inside an object keeps it",
            pointers: &[1102],
            indexed: &[],
            margin: 16,
            kept: &[1],
        },
        Case {
            what: "an address outside the data keeps nothing",
            pointers: &[5, 3020, 70_000],
            indexed: &[5, 70_000],
            margin: 16,
            kept: &[],
        },
        Case {
            what: "a table's address less its first index keeps the table",
            pointers: &[],
            indexed: &[1090],
            margin: 16,
            kept: &[1],
        },
        Case {
            what: "an address between objects keeps what follows within the margin",
            pointers: &[1095],
            indexed: &[],
            margin: 16,
            kept: &[1],
        },
        Case {
            what: "an indexed address keeps what follows within the margin",
            pointers: &[],
            indexed: &[1000],
            margin: 100,
            kept: &[0, 1, 2, 3],
        },
        Case {
            what: "what a kept object points to is kept, to an object's end too",
            pointers: &[1000],
            indexed: &[],
            margin: 0,
            kept: &[0, 2, 3],
        },
        Case {
            what: "an object at an unaligned address points to nothing",
            pointers: &[4002],
            indexed: &[],
            margin: 0,
            kept: &[4],
        },
    ];

    #[test]
    fn a_segment_stays_when_kept_code_or_kept_data_can_reach_it() {
        let (placed, values) = objects();
        for case in CASES {
            let roots = Roots {
                pointers: case.pointers.to_vec(),
                indexed: case.indexed.to_vec(),
            };
            let kept = kept(&placed, |i| &values[i], &roots, case.margin);
            let want: BTreeSet<usize> = case.kept.iter().copied().collect();
            assert_eq!(kept, want, "{}", case.what);
        }
    }
}
