//! The digest worker: a web worker that computes the SHA-256 of an image
//! archive's members from the bytes the page has already read and parsed
//! (`src/digest_workers.rs` starts it through `static/digest-worker-boot.js`
//! and hands each slice over, transferred, not copied). Hashing is most of
//! an import's work; here it runs beside the parse instead of after it, and
//! the file is read once.
//!
//! A member up to [`whole_at_most`] bytes is gathered and hashed by the browser's
//! own SHA-256 (`crypto.subtle.digest`, about four times wasm's speed, but
//! only for a whole buffer); a larger one, or one where WebCrypto is missing
//! (a page not served from a secure origin), streams through wasm's SHA-256.
//!
//! Messages in: `["span", offset, size]` (a member to hash, before any of
//! its bytes), `["bytes", offset, ArrayBuffer]` (the archive's bytes from
//! `offset`). Out: `["digest", offset, "sha256:…" or null]` for every
//! member, and `["hashed", n]` after each slice (the page stays no more
//! than a few slices ahead of these).

/// The largest member gathered whole for WebCrypto, from the device's
/// memory in GiB (`navigator.deviceMemory`, which Chrome gives as 0.25 to 8):
/// a 32nd of it, between 32 and 256 MiB, 128 MiB when it is not told. At
/// most two are held at once (one being hashed, the next being gathered).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn whole_at_most(device_gib: Option<f64>) -> f64 {
    const MIB: f64 = 1024.0 * 1024.0;
    match device_gib {
        Some(g) if g > 0.0 => (g * 1024.0 / 32.0).clamp(32.0, 256.0) * MIB,
        _ => 128.0 * MIB,
    }
}

/// The parts of the slice of `len` bytes from archive byte `at` that fall in
/// each member (`(offset, end)`, in archive order): `(member, from, to)`,
/// the part's bounds inside the slice.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn pieces(members: &[(f64, f64)], at: f64, len: f64) -> Vec<(usize, u32, u32)> {
    let end = at + len;
    members
        .iter()
        .enumerate()
        .filter_map(|(i, &(offset, stop))| {
            let (from, to) = (offset.max(at), stop.min(end));
            (from < to).then_some((i, (from - at) as u32, (to - at) as u32))
        })
        .collect()
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use super::{pieces, whole_at_most};
    use js_sys::{Array, Uint8Array};
    use layerlab_engine::digest::Hasher;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, SubtleCrypto};

    enum Hashing {
        Stream(Hasher),
        /// The member's bytes, gathered for WebCrypto (in the JS heap, not wasm's).
        Whole(Uint8Array),
    }

    struct Member {
        offset: f64,
        end: f64,
        hashing: Hashing,
    }

    #[derive(Clone)]
    struct Worker {
        scope: DedicatedWorkerGlobalScope,
        subtle: Option<SubtleCrypto>,
        /// The largest member gathered whole.
        whole: f64,
        members: Rc<RefCell<Vec<Member>>>,
    }

    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let subtle = scope
            .crypto()
            .ok()
            .and_then(|c| js_sys::Reflect::get(&c, &"subtle".into()).ok())
            .filter(|s| s.is_object())
            .map(JsCast::unchecked_into);
        let device_gib = js_sys::Reflect::get(&scope.navigator(), &"deviceMemory".into())
            .ok()
            .and_then(|m| m.as_f64());
        let worker = Worker {
            scope: scope.clone(),
            subtle,
            whole: whole_at_most(device_gib),
            members: Rc::default(),
        };
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let message = Array::from(&e.data());
            let offset = message.get(1).as_f64().unwrap_or(f64::NAN);
            match message.get(0).as_string().as_deref() {
                Some("span") => worker.span(offset, message.get(2).as_f64().unwrap_or(f64::NAN)),
                Some("bytes") => worker.bytes(offset, &Uint8Array::new(&message.get(2))),
                _ => {}
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the import that started it.
        on_message.forget();
    }

    impl Worker {
        fn post(&self, parts: [JsValue; 3]) {
            let _ = self
                .scope
                .post_message(&parts.into_iter().collect::<Array>());
        }

        fn answer(&self, offset: f64, digest: Option<String>) {
            let digest = digest.map_or(JsValue::NULL, JsValue::from);
            self.post(["digest".into(), offset.into(), digest]);
        }

        fn span(&self, offset: f64, size: f64) {
            if !(offset >= 0.0 && size >= 0.0) {
                return self.answer(offset, None);
            }
            if size == 0.0 {
                return self.answer(offset, Some(Hasher::new().finish().to_string()));
            }
            let whole = (self.subtle.is_some() && size <= self.whole)
                .then(|| gathering(size))
                .flatten();
            let hashing = whole.map_or_else(|| Hashing::Stream(Hasher::new()), Hashing::Whole);
            self.members.borrow_mut().push(Member {
                offset,
                end: offset + size,
                hashing,
            });
        }

        fn bytes(&self, at: f64, slice: &Uint8Array) {
            let len = f64::from(slice.length());
            let mut members = self.members.borrow_mut();
            let bounds: Vec<(f64, f64)> = members.iter().map(|m| (m.offset, m.end)).collect();
            let mut buf = Vec::new();
            for (i, from, to) in pieces(&bounds, at, len) {
                let part = slice.subarray(from, to);
                match &mut members[i].hashing {
                    Hashing::Whole(bytes) => {
                        bytes.set(&part, (at + f64::from(from) - bounds[i].0) as u32)
                    }
                    Hashing::Stream(h) => {
                        buf.resize(part.length() as usize, 0);
                        part.copy_to(&mut buf);
                        h.update(&buf);
                    }
                }
            }
            self.post(["hashed".into(), len.into(), JsValue::NULL]);
            let (done, open): (Vec<Member>, Vec<Member>) = std::mem::take(&mut *members)
                .into_iter()
                .partition(|m| m.end <= at + len);
            *members = open;
            drop(members);
            for m in done {
                match m.hashing {
                    Hashing::Stream(h) => self.answer(m.offset, Some(h.finish().to_string())),
                    Hashing::Whole(bytes) => {
                        let me = self.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            let digest = me.whole(&bytes).await;
                            me.answer(m.offset, Some(digest));
                        });
                    }
                }
            }
        }

        /// WebCrypto's SHA-256 of a gathered member, or wasm's if it refuses.
        async fn whole(&self, bytes: &Uint8Array) -> String {
            if let Some(subtle) = &self.subtle {
                if let Ok(p) = subtle.digest_with_str_and_js_u8_array("SHA-256", bytes) {
                    if let Ok(out) = wasm_bindgen_futures::JsFuture::from(p).await {
                        let mut h = String::from("sha256:");
                        for b in Uint8Array::new(&out).to_vec() {
                            h.push_str(&format!("{b:02x}"));
                        }
                        return h;
                    }
                }
            }
            let mut h = Hasher::new();
            let mut buf = Vec::new();
            let step = 4 << 20;
            let mut at = 0;
            while at < bytes.length() {
                let part = bytes.subarray(at, (at + step).min(bytes.length()));
                buf.resize(part.length() as usize, 0);
                part.copy_to(&mut buf);
                h.update(&buf);
                at += step;
            }
            h.finish().to_string()
        }
    }

    /// A buffer for a member's bytes, or `None` when the browser cannot
    /// spare that much (the member is then streamed).
    fn gathering(size: f64) -> Option<Uint8Array> {
        let ctor = js_sys::Reflect::get(&js_sys::global(), &"Uint8Array".into()).ok()?;
        let ctor: js_sys::Function = ctor.dyn_into().ok()?;
        js_sys::Reflect::construct(&ctor, &Array::of1(&size.into()))
            .ok()
            .map(JsCast::unchecked_into)
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

/// Natively there are no workers: the binary exists for the browser only.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(test)]
mod tests {
    use super::{pieces, whole_at_most};

    #[test]
    fn a_member_is_gathered_whole_up_to_a_32nd_of_the_devices_memory() {
        // (navigator.deviceMemory in GiB, the largest member gathered in MiB)
        let cases = [
            (Some(8.0), 256.0),
            (Some(4.0), 128.0),
            (Some(2.0), 64.0),
            (Some(0.5), 32.0),
            (Some(0.0), 128.0),
            (None, 128.0),
        ];
        for (gib, mib) in cases {
            assert_eq!(whole_at_most(gib), mib * 1024.0 * 1024.0, "{gib:?}");
        }
    }

    /// Whatever the cuts between slices, each member gets exactly its own
    /// bytes, in order.
    #[test]
    fn each_member_gets_its_own_bytes_whatever_the_cuts() {
        let archive: Vec<u8> = (0..100u8).collect();
        // (members as offset and size, where the slices end)
        type Case = (&'static [(usize, usize)], &'static [usize]);
        let cases: [Case; 4] = [
            (&[(0, 10), (12, 8)], &[100]),
            (&[(0, 10), (12, 8)], &[3, 11, 12, 19, 100]),
            (&[(5, 90)], &[1, 2, 3, 50, 99, 100]),
            (&[(20, 30), (60, 40)], &[30, 60, 61, 100]),
        ];
        for (members, cuts) in cases {
            let bounds: Vec<(f64, f64)> = members
                .iter()
                .map(|&(o, n)| (o as f64, (o + n) as f64))
                .collect();
            let mut got = vec![Vec::new(); members.len()];
            let mut at = 0;
            for &cut in cuts {
                let slice = &archive[at..cut];
                for (i, from, to) in pieces(&bounds, at as f64, slice.len() as f64) {
                    got[i].extend_from_slice(&slice[from as usize..to as usize]);
                }
                at = cut;
            }
            let want: Vec<Vec<u8>> = members
                .iter()
                .map(|&(o, n)| archive[o..o + n].to_vec())
                .collect();
            assert_eq!(got, want, "{members:?} cut at {cuts:?}");
        }
    }
}
