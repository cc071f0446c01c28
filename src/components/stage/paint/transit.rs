//! What passes through the stage or leaves it: a build's copied files
//! travelling from the build context into their slab, and what a command
//! removed, drawn where it stood as it goes.

use super::*;

impl Painter<'_> {
    /// A build's COPY and ADD: the files copied travel from the build
    /// context, at the stage's edge nearest its pane, into the new slab.
    pub(super) fn passing(&mut self, width: i32) {
        if !self.fresh || self.m.copies.is_empty() {
            return;
        }
        let most = self
            .m
            .copies
            .iter()
            .map(|(_, p, _)| p.len())
            .max()
            .unwrap_or(0) as i32;
        // The files that stay behind in the box, for a big context.
        let more = self.m.copies.iter().map(|(_, _, more)| *more).max();
        let more = more.unwrap_or(0);
        let (bx, by) = ((width - PAD - CONTEXT_W).max(0), PAD);
        let mut chips = Vec::new();
        let mut end = 0;
        for (layer, paths, _) in &self.m.copies {
            let Some(s) = self.stage.slab_of(*layer) else {
                continue;
            };
            let target = self.slab_at[s];
            let k = self.m.layers.iter().position(|id| id == layer).unwrap_or(0);
            for (i, path) in paths.iter().enumerate() {
                let (x, y) = (target.x + 6 + i as i32 * (FILE_CHIP_W + 2), target.y + 5);
                let (sx, sy) = (bx + 8, by + 24 + i as i32 * 20);
                let delay = self.ms(k as u64 * STAGGER_MS + i as u64 * 150);
                let dur = self.ms(TRAVEL_MS);
                end = end.max(delay + dur);
                chips.push((path, x, y, sx - x, sy - y, delay, dur));
            }
        }
        if chips.is_empty() {
            return;
        }
        self.d
            .open("g")
            .attr("class", "context-source")
            .attr("aria-hidden", "true")
            .attr("data-leave", format!("0 0 0 {end}"));
        let extra = if more > 0 { 16 } else { 0 };
        self.d
            .rect(bx, by, CONTEXT_W, 26 + most * 20 + extra, 6)
            .close();
        self.d
            .text_at(bx + 8, by + 16)
            .text(&format!("▤ {}", t(self.lang, Msg::StageBuildContext)))
            .close();
        if more > 0 {
            self.d
                .text_at(bx + 8, by + 36 + most * 20)
                .attr("class", "more")
                .text(&format!("+ {more} {}", t(self.lang, Msg::StageMore)))
                .close();
        }
        self.d.close();
        for (path, x, y, dx, dy, delay, dur) in chips {
            let name = path.rsplit('/').next().unwrap_or(path);
            self.d
                .open("g")
                .attr("class", "passing")
                .attr("data-file", path)
                .attr("aria-hidden", "true")
                .attr("data-pass", format!("{dx} {dy} {delay} {dur}"));
            self.d.rect(x, y, FILE_CHIP_W, 18, 3).close();
            self.d
                .text_at(x + 5, y + 13)
                .text(&layerlab_engine::table::ellipsis(name, 8))
                .close();
            self.d.close();
        }
    }

    /// What the command removed, where it stood, leaving: a container with
    /// its writable layer and its files (`docker rm`), an image's label and
    /// the slabs no other image used (`docker rmi`), the top one first.
    pub(super) fn leaving(&mut self) {
        let Some(b) = self.before.take() else {
            return;
        };
        let dur = self.ms(RISE_MS + 300);
        for c in b
            .stage
            .containers
            .iter()
            .filter(|c| self.m.removed.contains(&c.id))
        {
            let Some((x, top)) = box_place(b.stage, &b.l, &b.xs, &c.id) else {
                continue;
            };
            let (y, w, h) = (self.y(top), b.stage.box_w(), box_height(b.stage, c));
            self.d
                .open("g")
                .attr("class", "leaving gone-container")
                .attr("data-gone", &c.name)
                .attr("aria-hidden", "true")
                .attr("data-leave", format!("0 -40 0 {dur}"));
            self.d
                .rect(x, y, w, h, 5)
                .attr("class", "container-box")
                .close();
            self.d.rect(x, y, w, 8, 3).attr("class", "writable").close();
            self.d
                .text_at(x + 8, y + 24)
                .attr("class", "container-name")
                .text(&c.name)
                .close();
            self.d
                .text_at(x + w - 8, y + 24)
                .attr("class", "container-state")
                .attr("text-anchor", "end")
                .text(&c.state)
                .close();
            let mut row = y + BOX_HEAD;
            for f in c.files.iter().take(b.stage.rows()) {
                self.d
                    .rect(x + 4, row, w - 8, ROW_H - 2, 3)
                    .attr("class", "gone-chip")
                    .close();
                self.d
                    .text_at(x + 9, row + 12)
                    .attr("class", "held-name")
                    .text(&layerlab_engine::table::ellipsis(
                        &format!("{} {}", icon(f.origin), f.name),
                        22,
                    ))
                    .close();
                row += ROW_H;
            }
            self.d.close();
        }
        for (i, image) in b.stage.images.iter().enumerate() {
            if !self.m.images_deleted.contains(&image.id) {
                continue;
            }
            let (col, e) = b.l.tags[i];
            let (x, y) = (b.xs[col], self.y(e + TAG_H));
            self.d
                .open("g")
                .attr("class", "leaving image-tag")
                .attr("aria-hidden", "true")
                .attr("data-leave", format!("0 -30 0 {dur}"));
            self.d.rect(x, y + 3, SLAB_W, TAG_H - 5, 10).close();
            self.d
                .text_at(x + 10, y + 17)
                .attr("class", "image-name")
                .text(&format!("◆ {}", image.name))
                .close();
            self.d.close();
        }
        let gone: Vec<usize> = (0..b.stage.slabs.len())
            .rev()
            .filter(|&s| self.m.deleted.contains(&b.stage.slabs[s].layer))
            .collect();
        for (k, s) in gone.into_iter().enumerate() {
            let slab = &b.stage.slabs[s];
            let (col, e) = b.l.slabs[s];
            let (x, y) = (b.xs[col], self.y(e + SLAB_H));
            let delay = self.ms(k as u64 * 150);
            self.d
                .open("g")
                .attr(
                    "class",
                    format!("leaving gone-slab {}", hue_class(slab.hue)),
                )
                .attr("data-layer", slab.layer.0)
                .attr("aria-hidden", "true")
                .attr("data-leave", format!("0 -30 {delay} {dur}"));
            self.d.rect(x, y, SLAB_W, SLAB_H, 3).close();
            self.d
                .text_at(x + 8, y + 18)
                .attr("class", "slab-label")
                .text(&layerlab_engine::table::ellipsis(&slab.label, 27))
                .close();
            self.d.close();
        }
    }
}
