//! Every user-facing string, in English and Simplified Chinese.
//!
//! The `messages!` table takes both languages for every key, so a missing
//! translation does not compile; `tests` also checks that none is empty and that
//! every Chinese entry is really Chinese (terms as the Chinese Docker community
//! uses them: 镜像, 容器, 镜像层, 容器层/可写层, 写时复制, 存储驱动, 摘要).
//! Docker's own output is never translated, as in real life.

/// A UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The short code used in `?lang=` and on the switch buttons.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language's own name, shown on the switch whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// Reads a language tag such as `zh`, `zh-CN`, `zh-Hans`, `en-GB`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language to start in: `?lang=` first, then the browser's preferences
    /// in order, then English.
    pub fn choose(query: Option<&str>, preferred: &[String]) -> Lang {
        query
            .and_then(Lang::from_tag)
            .or_else(|| preferred.iter().find_map(|t| Lang::from_tag(t)))
            .unwrap_or(Lang::En)
    }
}

macro_rules! messages {
    ($( $key:ident { en: $en:expr, zh: $zh:expr $(,)? } )*) => {
        /// A user-facing string's key.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => match self { $(Msg::$key => $en),* },
                    Lang::Zh => match self { $(Msg::$key => $zh),* },
                }
            }
        }
    };
}

messages! {
    Tagline {
        en: "See how Docker images, layers and copy-on-write really work.",
        zh: "看清 Docker 镜像、镜像层与写时复制的真实工作方式。",
    }
    LanguageGroup {
        en: "Language",
        zh: "语言",
    }
    DockerfileHint {
        en: "The example from the tutorial. You can edit it here.",
        zh: "教程中的示例，可以在这里直接编辑。",
    }
    DockerfileEditorLabel {
        en: "Dockerfile editor",
        zh: "Dockerfile 编辑器",
    }
    IdeasHeading {
        en: "What Layerlab shows",
        zh: "Layerlab 展示的内容",
    }
    IdeaLayers {
        en: "Each instruction that changes files becomes a read-only image layer, stacked on the ones before it.",
        zh: "每条改动文件的指令都会成为一个只读镜像层，叠放在之前的层之上。",
    }
    IdeaContainer {
        en: "A container is its image's layers plus one thin writable layer of its own, the container layer.",
        zh: "容器就是它的镜像的各层，再加上属于它自己的一层薄薄的可写层，即容器层。",
    }
    IdeaSharing {
        en: "Many containers share a single copy of the image layers on disk.",
        zh: "多个容器在磁盘上共享同一份镜像层。",
    }
    IdeaCopyOnWrite {
        en: "The first write to a file from an image layer copies the whole file up into the writable layer: copy-on-write.",
        zh: "第一次修改来自镜像层的文件时，整个文件会被复制到可写层：这就是写时复制。",
    }
    IdeaDigests {
        en: "Layers and images are named by digests of their content; storage drivers keep them under other names on disk.",
        zh: "镜像层和镜像以其内容的摘要命名；存储驱动在磁盘上却用另外的名字保存它们。",
    }
    Offline {
        en: "Everything runs in your browser: nothing to install, nothing sent anywhere.",
        zh: "一切都在你的浏览器中运行：无需安装，也不会向任何地方发送数据。",
    }
    LessonsHeading {
        en: "Lessons",
        zh: "课程",
    }
    LessonChoose {
        en: "Follow a lesson",
        zh: "选择课程",
    }
    LessonSandbox {
        en: "Free sandbox (no lesson)",
        zh: "自由沙盒（不跟随课程）",
    }
    LessonProgress {
        en: "Lessons done",
        zh: "已完成课程",
    }
    LessonDoneShort {
        en: "done",
        zh: "已完成",
    }
    LessonTask {
        en: "Your task",
        zh: "你的任务",
    }
    LessonReached {
        en: "Goal reached.",
        zh: "目标达成。",
    }
    PulledIdsNote {
        en: "Layer IDs here are Layerlab's own, not the tutorial's (1ba8ac955b97 …): its images are written from text, so their digests differ. What is shared, and why, is as in Docker.",
        zh: "这里的镜像层 ID 是 Layerlab 自己的，与教程里的（1ba8ac955b97 ……）不同：教学镜像由文本生成，摘要自然不同。哪些层共享、为何共享，都与 Docker 一致。",
    }
    LessonNext {
        en: "Next lesson →",
        zh: "下一课 →",
    }
    PresenterGoOn {
        en: "✓ Goal reached. → goes on to the next lesson.",
        zh: "✓ 目标达成。按 → 进入下一课。",
    }
    PresenterGoBack {
        en: "✓ Goal reached: that was the last lesson. → goes back to the sandbox.",
        zh: "✓ 目标达成：这是最后一课。按 → 回到自由沙盒。",
    }
    LessonLastDone {
        en: "That was the last lesson: back to the sandbox",
        zh: "这是最后一课：回到自由沙盒",
    }
    LessonNotYet {
        en: "Goal not reached yet: the app checks it after every command.",
        zh: "目标尚未达成：每条命令之后都会自动检查。",
    }
    LessonHints {
        en: "Hints",
        zh: "提示",
    }
    LessonHint {
        en: "Show a hint",
        zh: "显示提示",
    }
    LessonSolution {
        en: "Show the solution (types it in the terminal)",
        zh: "显示答案（在终端中输入）",
    }
    QuizCheck {
        en: "Check my prediction",
        zh: "核对我的预测",
    }
    QuizRight {
        en: "Right: Docker shows",
        zh: "答对了：Docker 显示",
    }
    QuizAnswer {
        en: "Docker shows",
        zh: "Docker 显示",
    }
    QuizWrong {
        en: "Not quite. Look again at what the stage and the terminal show, then try another figure.",
        zh: "不太对。再看看舞台和终端显示的内容，然后换个数字试试。",
    }
    QuizReveal {
        en: "Show the answer",
        zh: "显示答案",
    }
    LessonReset {
        en: "Reset the lesson",
        zh: "重置本课",
    }
    TerminalHeading {
        en: "Terminal",
        zh: "终端",
    }
    TerminalOutput {
        en: "Terminal output",
        zh: "终端输出",
    }
    TerminalInput {
        en: "Command line",
        zh: "命令行",
    }
    TerminalInputContainer {
        en: "Command line of the shell inside the container (exit leaves it)",
        zh: "容器内 shell 的命令行（输入 exit 退出）",
    }
    TerminalActions {
        en: "Run a command with one click",
        zh: "一键运行命令",
    }
    PresenterButton {
        en: "Presenter mode",
        zh: "演示模式",
    }
    PresenterKeys {
        en: "Presenter mode: → runs the lesson's next step, ← takes it back, Space plays or pauses, F for full screen.",
        zh: "演示模式：→ 执行课程的下一步，← 撤回一步，空格键播放或暂停，F 键切换全屏。",
    }
    PresenterStep {
        en: "Step",
        zh: "步骤",
    }
    PresenterNoLesson {
        en: "Choose a lesson to step through its solution.",
        zh: "选择一门课程，即可逐步演示它的答案。",
    }
    Undo {
        en: "Undo the last command",
        zh: "撤销上一条命令",
    }
    BuildingLine {
        en: "building: line",
        zh: "正在构建：行",
    }
    BuildFailedAt {
        en: "the build failed at line",
        zh: "构建失败：行",
    }
    ContextHeading {
        en: "Build context: files beside the Dockerfile",
        zh: "构建上下文：Dockerfile 旁边的文件",
    }
    ContextHint {
        en: "What docker build . sends and COPY . /app copies (.dockerignore leaves some out). Every change is typed as a command.",
        zh: "docker build . 发送、COPY . /app 复制的内容（.dockerignore 会排除一部分）。每个改动都以命令的形式输入。",
    }
    ContextSave {
        en: "Save (cat > … <<'EOF')",
        zh: "保存（cat > … <<'EOF'）",
    }
    ContextNewLabel {
        en: "New file",
        zh: "新文件",
    }
    ContextAdd {
        en: "Add",
        zh: "添加",
    }
    ContextBadName {
        en: "Give a name inside the project, such as notes.txt or src/main.py (no leading /, no ..).",
        zh: "请输入项目内的文件名，例如 notes.txt 或 src/main.py（不要以 / 开头，也不要包含 ..）。",
    }
    KindFile {
        en: "file",
        zh: "文件",
    }
    KindDir {
        en: "dir",
        zh: "目录",
    }
    KindSymlink {
        en: "symlink",
        zh: "符号链接",
    }
    ScenarioDownload {
        en: "Download scenario",
        zh: "下载场景文件",
    }
    ScenarioOpen {
        en: "Open scenario…",
        zh: "打开场景文件…",
    }
    ScenarioOpened {
        en: "Scenario opened: its commands were replayed.",
        zh: "已打开场景文件：其中的命令已重新执行。",
    }
    ScenarioBringBack {
        en: "Bring back what was here before",
        zh: "恢复打开之前的内容",
    }
    ScenarioRefused {
        en: "This file was not opened:",
        zh: "没有打开这个文件：",
    }
    ScenarioTooLarge {
        en: "it is larger than 1 MB; a scenario is a text file of commands.",
        zh: "它超过 1 MB；场景文件是由命令组成的文本文件。",
    }
    ScenarioNotText {
        en: "it is not a text file (a scenario holds one command per line).",
        zh: "它不是文本文件（场景文件每行一条命令）。",
    }
    ScenarioEmpty {
        en: "it has no command in it (lines starting with # are comments).",
        zh: "其中没有任何命令（以 # 开头的行是注释）。",
    }
    ImportHeading {
        en: "Your own image",
        zh: "你自己的镜像",
    }
    ImportOpen {
        en: "Open an image (.tar)…",
        zh: "打开镜像（.tar）…",
    }
    ImportDrop {
        en: "or drop what docker save wrote anywhere on the page.",
        zh: "也可以把 docker save 写出的归档文件拖放到页面上的任何位置。",
    }
    ImportPrivacy {
        en: "The file never leaves your browser: it is read here in slices, every digest checked.",
        zh: "文件不会离开你的浏览器：它在这里被分块读取，每个摘要都会校验。",
    }
    ImportReading {
        en: "Reading",
        zh: "正在读取",
    }
    ImportCancel {
        en: "Cancel",
        zh: "取消",
    }
    ImportDropHint {
        en: "Drop the image archive to open it here",
        zh: "松开鼠标，在这里打开这个镜像归档",
    }
    ImportCancelled {
        en: "The import was cancelled.",
        zh: "导入已取消。",
    }
    ImportFailed {
        en: "This archive was not imported:",
        zh: "没有导入这个归档文件：",
    }
    ImportUnreadable {
        en: "the browser could not read the file.",
        zh: "浏览器无法读取这个文件。",
    }
    ImportDone {
        en: "Loaded into the host; docker run works on it.",
        zh: "已载入主机，可以对它执行 docker run。",
    }
    ImportKept {
        en: "An imported image is kept only until the page reloads: it is not a command line, so autosave, links, undo and opening a scenario do not carry it.",
        zh: "导入的镜像只保留到页面重新加载为止：它不是一条命令，所以自动保存、链接、撤销和打开场景文件都不会带上它。",
    }
    ImportFormat {
        en: "Format",
        zh: "格式",
    }
    ImportImageId {
        en: "Image ID",
        zh: "镜像 ID",
    }
    ImportManifest {
        en: "Manifest digest",
        zh: "清单摘要",
    }
    ImportTotal {
        en: "Total size (all layers)",
        zh: "总大小（所有镜像层）",
    }
    ImportFinal {
        en: "Seen in the final file system",
        zh: "最终文件系统中可见",
    }
    ImportEfficiency {
        en: "Efficiency",
        zh: "效率",
    }
    ImportWasted {
        en: "Wasted bytes",
        zh: "浪费的字节",
    }
    ImportUserWasted {
        en: "Wasted above the first layer",
        zh: "第一层之上的浪费比例",
    }
    ImportInstruction {
        en: "Instruction",
        zh: "指令",
    }
    ImportSize {
        en: "Size",
        zh: "大小",
    }
    ImportAdded {
        en: "Added",
        zh: "新增",
    }
    ImportChanged {
        en: "Changed",
        zh: "修改",
    }
    ImportRemoved {
        en: "Removed",
        zh: "删除",
    }
    ImportIds {
        en: "DiffIDs and ChainIDs",
        zh: "DiffID 与 ChainID",
    }
    ImportWastedHeading {
        en: "Where bytes are wasted",
        zh: "字节浪费在哪里",
    }
    ImportNoWaste {
        en: "Nothing is wasted: every stored byte is seen in the final file system.",
        zh: "没有浪费：存储的每个字节都出现在最终的文件系统中。",
    }
    ImportFilesButton {
        en: "Files",
        zh: "文件",
    }
    ImportByPath {
        en: "By path",
        zh: "按路径",
    }
    ImportBySize {
        en: "Largest first",
        zh: "从大到小",
    }
    ImportFirstOnly {
        en: "Only the first 200 are listed.",
        zh: "只列出前 200 项。",
    }
    ImportNoFiles {
        en: "This layer changes no file (an empty layer, as WORKDIR makes).",
        zh: "这一层没有改动任何文件（空层，例如 WORKDIR 产生的层）。",
    }
    InspectorHeading {
        en: "Inspector",
        zh: "检查器",
    }
    InspectorHint {
        en: "Click a layer or a container on the stage (or focus it and press Enter) to look inside.",
        zh: "点击舞台上的镜像层或容器（或用 Tab 选中后按回车）查看里面的内容。",
    }
    InspectorGone {
        en: "What was selected no longer exists.",
        zh: "所选的对象已不存在。",
    }
    InspectorClose {
        en: "Close the inspector",
        zh: "关闭检查器",
    }
    InspectLayer {
        en: "Layer",
        zh: "镜像层",
    }
    InspectDiffId {
        en: "DiffID (digest of the layer's uncompressed tar)",
        zh: "DiffID（镜像层未压缩 tar 的摘要）",
    }
    InspectChainId {
        en: "ChainID (this layer and all below it)",
        zh: "ChainID（本层及其下所有层）",
    }
    InspectCacheId {
        en: "cache ID: its directory under /var/lib/docker (not a digest)",
        zh: "cache ID：它在 /var/lib/docker 下的目录名（不是摘要）",
    }
    InspectUsedBy {
        en: "Used by",
        zh: "使用它的镜像",
    }
    InspectOwnDiff {
        en: "This layer's own changes, against the layers below it",
        zh: "本层自己的改动（相对于它下面的镜像层）",
    }
    ChangeAdded {
        en: "added",
        zh: "新增",
    }
    ChangeChanged {
        en: "changed (the whole file is in this layer)",
        zh: "修改（整个文件都在本层）",
    }
    ChangeWhiteout {
        en: "whiteout (deleted)",
        zh: "whiteout（已删除）",
    }
    ChangeOpaque {
        en: "opaque directory",
        zh: "不透明目录",
    }
    InspectMore {
        en: "more entries not listed",
        zh: "条未列出",
    }
    InspectContainer {
        en: "Files of container {name}",
        zh: "容器 {name} 中的文件",
    }
    InspectUp {
        en: "Up one directory",
        zh: "上一级目录",
    }
    InspectName {
        en: "Name",
        zh: "名称",
    }
    InspectSize {
        en: "Size",
        zh: "大小",
    }
    InspectFrom {
        en: "Comes from",
        zh: "来自",
    }
    InspectActions {
        en: "Actions (each types its command)",
        zh: "操作（每个都会输入对应的命令）",
    }
    InspectRead {
        en: "Read",
        zh: "读取",
    }
    InspectEdit {
        en: "Edit",
        zh: "编辑",
    }
    InspectAppend {
        en: "Append 1 byte",
        zh: "追加 1 字节",
    }
    InspectDelete {
        en: "Delete",
        zh: "删除",
    }
    InspectSave {
        en: "Save (docker exec -i …)",
        zh: "保存（docker exec -i …）",
    }
    InspectCancel {
        en: "Cancel",
        zh: "取消",
    }
    InspectEditing {
        en: "New content of",
        zh: "新内容：",
    }
    InspectNotRunning {
        en: "This container is not running: start it (docker start) to change its files.",
        zh: "这个容器没有在运行：先启动它（docker start）才能修改文件。",
    }
    InspectSelect {
        en: "Inspect",
        zh: "检查",
    }
    ActivityHeading {
        en: "What happened",
        zh: "发生了什么",
    }
    ActivityEmpty {
        en: "Run a command: what it did to layers, containers and files appears here, step by step.",
        zh: "运行一条命令：它对镜像层、容器和文件做了什么，会在这里一步步显示。",
    }
    ActivityNothing {
        en: "This command changed no layer, container or file.",
        zh: "这条命令没有改变任何镜像层、容器或文件。",
    }
    TimelineLabel {
        en: "Timeline: commands run",
        zh: "时间线：已运行的命令",
    }
    TimelineStart {
        en: "Back to the start",
        zh: "回到开头",
    }
    TimelineBack {
        en: "Step back",
        zh: "后退一步",
    }
    TimelineForward {
        en: "Step forward",
        zh: "前进一步",
    }
    TimelineEnd {
        en: "To the end",
        zh: "跳到末尾",
    }
    TimelinePlay {
        en: "Play",
        zh: "播放",
    }
    TimelinePause {
        en: "Pause",
        zh: "暂停",
    }
    TimelineSpeed {
        en: "Speed",
        zh: "速度",
    }
    TimelineAt {
        en: "Command",
        zh: "命令",
    }
    DidManifest {
        en: "Digest: the manifest's digest, not the image ID",
        zh: "Digest：清单（manifest）的摘要，不是镜像 ID",
    }
    DidStepBase {
        en: "Base image: its layers are the bottom of the stack",
        zh: "基础镜像：它的镜像层在最底部",
    }
    DidStepLayer {
        en: "New layer",
        zh: "新的镜像层",
    }
    DidStepCached {
        en: "CACHED: the same layer is reused",
        zh: "CACHED：复用同一个镜像层",
    }
    DidStepMetadata {
        en: "Metadata only, no layer",
        zh: "只改元数据，不产生镜像层",
    }
    DidStepFailed {
        en: "Failed: the build stops here",
        zh: "失败：构建在这里停止",
    }
    DidDownloaded {
        en: "Pull complete",
        zh: "拉取完成",
    }
    DidAlreadyExists {
        en: "Already exists: shared, not downloaded",
        zh: "Already exists：已共享，无需下载",
    }
    DidCopyUp {
        en: "Copy-up: the whole file copied into the writable layer",
        zh: "写时复制：整个文件被复制到可写层",
    }
    DidCopyUpDir {
        en: "Copy-up of a directory: its metadata only, not its contents",
        zh: "目录的写时复制：只复制元数据，不复制内容",
    }
    DidRead {
        en: "Read from a lower layer: nothing copied",
        zh: "从下层读取：不复制任何内容",
    }
    DidCreated {
        en: "Created in the writable layer",
        zh: "在可写层中创建",
    }
    DidWritten {
        en: "Written in the writable layer",
        zh: "在可写层中写入",
    }
    DidMetadata {
        en: "Mode, owner or time changed",
        zh: "权限、属主或时间被修改",
    }
    DidWhiteout {
        en: "Whiteout: hides the file of the layers below",
        zh: "whiteout 文件：遮住下层的文件",
    }
    DidOpaque {
        en: "Opaque directory: hides the lower layers' contents",
        zh: "不透明目录：遮住下层目录中的内容",
    }
    DidRemoved {
        en: "Removed from the writable layer (no whiteout needed)",
        zh: "从可写层删除（不需要 whiteout）",
    }
    DidRenamed {
        en: "Renamed in the writable layer",
        zh: "在可写层中重命名",
    }
    DidHardLinked {
        en: "Hard link",
        zh: "硬链接",
    }
    DidSizeNow {
        en: "Container size now (docker ps -s)",
        zh: "容器大小变为（docker ps -s）",
    }
    DidUnchanged {
        en: "Unchanged: the image and the other containers",
        zh: "未改变：镜像和其他容器",
    }
    DidLayerCreated {
        en: "Layer created",
        zh: "创建了镜像层",
    }
    DidLayerDeleted {
        en: "Layer deleted",
        zh: "删除了镜像层",
    }
    DidImageCreated {
        en: "Image created: its ID is the digest of its config",
        zh: "创建了镜像：镜像 ID 是其配置的摘要",
    }
    DidImageTagged {
        en: "Tagged",
        zh: "打上标签",
    }
    DidImageUntagged {
        en: "Untagged",
        zh: "移除标签",
    }
    DidImageDeleted {
        en: "Image deleted",
        zh: "删除了镜像",
    }
    DidContainerCreated {
        en: "Container created: the image plus a new writable layer",
        zh: "创建了容器：镜像加上一个新的可写层",
    }
    DidContainerRemoved {
        en: "Container removed with its writable layer",
        zh: "删除了容器及其可写层",
    }
    DidMore {
        en: "more items not shown",
        zh: "条未显示",
    }
    Redo {
        en: "Redo",
        zh: "重做",
    }
    TerminalHint {
        en: "Type a docker command and press Enter, for example: docker pull ubuntu:15.04 — ↑/↓ recall earlier commands, Tab completes.",
        zh: "输入 docker 命令并按回车，例如：docker pull ubuntu:15.04 —— ↑/↓ 调出之前的命令，Tab 自动补全。",
    }
    DiskHeading {
        en: "Disk usage",
        zh: "磁盘占用",
    }
    DiskEmpty {
        en: "Run a few containers (docker run -d …) to see how they share the image layers on disk.",
        zh: "运行几个容器（docker run -d …），看看它们如何在磁盘上共享镜像层。",
    }
    DiskCaption {
        en: "Each container's SIZE (its writable layer) and virtual size (image layers plus writable layer), as docker ps -s shows them",
        zh: "每个容器的 SIZE（可写层）与 virtual 大小（镜像层加可写层），与 docker ps -s 显示的一致",
    }
    DiskWritable {
        en: "Σ SIZE: every writable layer",
        zh: "Σ SIZE：所有容器的可写层",
    }
    DiskLayers {
        en: "+ image layers, each stored once",
        zh: "+ 镜像层，每层只存一份",
    }
    DiskTotal {
        en: "= really on disk",
        zh: "= 实际占用的磁盘空间",
    }
    DiskNaive {
        en: "Adding up the virtual sizes would claim",
        zh: "若把 virtual 大小直接相加，会得到",
    }
    DiskExplain {
        en: "Containers of one image share its read-only layers: the disk they use is Σ size + (virtual − size), not Σ virtual.",
        zh: "同一镜像的多个容器共享其只读镜像层：它们占用的磁盘空间是 SUM(size) + (virtual − size)，而不是各个 virtual 之和。",
    }
    StageHeading {
        en: "Stage: images and containers",
        zh: "舞台：镜像与容器",
    }
    StageEmpty {
        en: "No images yet. Pull one in the terminal (docker pull ubuntu:15.04) to see its layers.",
        zh: "还没有镜像。在终端里拉取一个（docker pull ubuntu:15.04），就能看到它的镜像层。",
    }
    StageMetadataOnly {
        en: "metadata only, no layer",
        zh: "仅元数据，不产生镜像层",
    }
    StageSharedBy {
        en: "layer shared by N images",
        zh: "被 N 个镜像共享的镜像层",
    }
    StageWritable {
        en: "writable layer",
        zh: "可写层",
    }
    StageLayers {
        en: "read-only layers",
        zh: "个只读镜像层",
    }
    StageContainers {
        en: "containers",
        zh: "容器",
    }
    StageLegendLayer {
        en: "read-only layer, drawn once however many images use it",
        zh: "只读镜像层，无论多少镜像使用都只画一次",
    }
    TimelineSetAside {
        en: "You went back and typed a new command: the commands that came after were set aside.",
        zh: "你回到了之前的位置并输入了新命令：原来之后的命令已被搁置。",
    }
    TimelineBringBack {
        en: "Bring them back",
        zh: "恢复它们",
    }
    TerminalHelp {
        en: "Commands: docker <command> (try docker --help), shell commands on the host (ls, cat, echo, cd …), clear, help.",
        zh: "命令：docker <子命令>（试试 docker --help）、主机上的 shell 命令（ls、cat、echo、cd …）、clear、help。",
    }
    TerminalExamples {
        en: "Examples: docker build -t app . · docker run -d --name web nginx · docker ps -s · cat Dockerfile",
        zh: "例如：docker build -t app . · docker run -d --name web nginx · docker ps -s · cat Dockerfile",
    }
    LessonSandboxKept {
        en: "Your sandbox's work is kept: choose the free sandbox to go back to it.",
        zh: "沙盒中的工作已保留：选择“自由沙盒”即可回到那里。",
    }
    SkipToTerminal {
        en: "Skip to the terminal",
        zh: "跳到终端",
    }
    SidePanel {
        en: "Lessons, Dockerfile, inspector and disk",
        zh: "课程、Dockerfile、检查器与磁盘",
    }
    StageBuildContext {
        en: "build context",
        zh: "构建上下文",
    }
    TabBar {
        en: "Panes",
        zh: "窗格",
    }
    TabStage {
        en: "Stage",
        zh: "舞台",
    }
    TabStageNews {
        en: "changed",
        zh: "有变化",
    }
    TabTerminal {
        en: "Terminal",
        zh: "终端",
    }
    TabLesson {
        en: "Lesson",
        zh: "课程",
    }
    TabDockerfile {
        en: "Dockerfile",
        zh: "构建",
    }
    TabMore {
        en: "More",
        zh: "更多",
    }
    StageUsedBy {
        en: "images using it",
        zh: "使用它的镜像数",
    }
    StageImageTag {
        en: "image: a label on its top layer",
        zh: "镜像：标在其最顶层上的标签",
    }
    StageInitLayer {
        en: "Not drawn: each container's small init layer (/etc/hosts, /etc/hostname, /etc/resolv.conf) under its writable layer.",
        zh: "图中未画出：每个容器可写层下方还有一个很小的 init 层（/etc/hosts、/etc/hostname、/etc/resolv.conf）。",
    }
    StageCopiedUp {
        en: "copied up from",
        zh: "写时复制自",
    }
    StageNewFile {
        en: "new in the writable layer",
        zh: "可写层中新建",
    }
    StageWhiteout {
        en: "whiteout: deleted, hidden from the layers below",
        zh: "遮蔽文件（whiteout）：已删除，下层的同名文件被隐藏",
    }
    StageWhiteoutShort {
        en: "whiteout",
        zh: "遮蔽",
    }
    StageOpaque {
        en: "opaque directory: hides what the layers below hold in it",
        zh: "不透明目录：隐藏下层在该目录中的内容",
    }
    StageMore {
        en: "more",
        zh: "项未列出",
    }
    StageEmptyWritable {
        en: "nothing written yet",
        zh: "尚未写入",
    }
    StageConfig {
        en: "configuration",
        zh: "配置",
    }
    StageState {
        en: "state",
        zh: "状态",
    }
    SaveDamaged {
        en: "the data is damaged",
        zh: "数据已损坏",
    }
    SaveNewer {
        en: "it was written by a newer Layerlab, in format",
        zh: "它由更新版本的 Layerlab 写入，格式为",
    }
    LinkNotOurs {
        en: "it is not a Layerlab link",
        zh: "这不是 Layerlab 的链接",
    }
    LinkAltered {
        en: "the link is cut short or altered",
        zh: "链接不完整或被修改过",
    }
    RestoringWork {
        en: "Restoring your work…",
        zh: "正在恢复你的工作……",
    }
    RestoreFailed {
        en: "Your saved work could not be restored:",
        zh: "无法恢复你保存的工作：",
    }
    RestoreKept {
        en: "Layerlab started fresh and kept the unreadable copy in this browser's storage (layerlab.autosave.unreadable).",
        zh: "Layerlab 已重新开始，并把无法读取的副本保留在浏览器存储中（layerlab.autosave.unreadable）。",
    }
    StorageHeading {
        en: "On disk: /var/lib/docker",
        zh: "磁盘上：/var/lib/docker",
    }
    StorageDriver {
        en: "Lay the same layers out as the storage driver",
        zh: "用以下存储驱动布局同样的镜像层",
    }
    StorageLayer {
        en: "Layer of",
        zh: "所属",
    }
    StorageDirectory {
        en: "Directory",
        zh: "目录",
    }
    StorageSize {
        en: "size",
        zh: "大小",
    }
    StorageExplain {
        en: "Since Docker 1.10 a layer is named by its content (DiffID, ChainID), but the storage driver keeps it in a directory with a random-looking cache ID: no directory name matches an ID the docker command shows. vfs has no copy-on-write and stores every layer as a full copy.",
        zh: "从 Docker 1.10 起，镜像层按内容命名（DiffID、ChainID），但存储驱动把它放在一个看似随机的 cache ID 目录里：没有任何目录名与 docker 命令显示的 ID 相同。vfs 没有写时复制，每一层都保存一份完整的副本。",
    }
    BuildButton {
        en: "Build (docker build -t app .)",
        zh: "构建镜像（docker build -t app .）",
    }
    BuildHint {
        en: "Saves this text as the project's Dockerfile, then builds it; the terminal shows both commands and BuildKit's output.",
        zh: "把这段文字保存为项目的 Dockerfile 并构建镜像；终端里会显示这两条命令和 BuildKit 的输出。",
    }
    ShareButton {
        en: "Link to this state",
        zh: "生成当前状态的链接",
    }
    ShareReady {
        en: "The address bar now holds this exact state. Copy the link:",
        zh: "地址栏中已是当前状态的链接。复制此链接：",
    }
    CopyEmbedButton {
        en: "Copy embed code",
        zh: "复制嵌入代码",
    }
    EmbedCodeReady {
        en: "This state as an embed, copied to the clipboard where the browser allows it. Paste it into your tutorial's page; to turn the page's code blocks into Run buttons, add layerlab-embed.js (docs/embed.md says how):",
        zh: "当前状态的嵌入代码（浏览器允许时已复制到剪贴板）。把它粘贴到教程页面里；若要把页面中的代码块变成“运行”按钮，请加入 layerlab-embed.js（用法见 docs/embed.md）：",
    }
    EmbedOpenFull {
        en: "Open in Layerlab",
        zh: "在 Layerlab 中打开",
    }
    EmbedReset {
        en: "Start again",
        zh: "重新开始",
    }
    EmbedLoading {
        en: "Loading the scenario…",
        zh: "正在加载场景……",
    }
    EmbedScenarioFailed {
        en: "The scenario could not be loaded:",
        zh: "无法加载场景：",
    }
    EmbedScenarioElsewhere {
        en: "its address is not on Layerlab's own origin",
        zh: "它的地址不在 Layerlab 自己的源上",
    }
    EmbedNotOurs {
        en: "not a Layerlab request (its type must start with layerlab:)",
        zh: "不是 Layerlab 请求（type 的前缀应为 layerlab:）",
    }
    EmbedUnknownType {
        en: "unknown request type:",
        zh: "未知的请求类型：",
    }
    EmbedMissingField {
        en: "the request needs a text field:",
        zh: "请求缺少文本字段：",
    }
    EmbedTooLong {
        en: "the request's field is too long:",
        zh: "请求中的字段过长：",
    }
    EmbedIgnored {
        en: "Layerlab ignored a message:",
        zh: "Layerlab 忽略了一条消息：",
    }
    EmbedOtherOrigin {
        en: "it came from an origin the embed's address does not allow (add it to origin=):",
        zh: "它来自嵌入地址未允许的源（请把它加入 origin=）：",
    }
    EmbedNotParent {
        en: "it did not come from the page that embeds Layerlab",
        zh: "它不是来自嵌入 Layerlab 的页面",
    }
    EmbedBadOrigin {
        en: "Layerlab ignored an origin= entry that is not an origin (https://host[:port]):",
        zh: "Layerlab 忽略了 origin= 中不是源的一项（应为 https://主机[:端口]）：",
    }
    EmbedRegion {
        en: "Layerlab, embedded",
        zh: "嵌入的 Layerlab",
    }
    LinkUnreadable {
        en: "This link could not be opened:",
        zh: "无法打开此链接：",
    }
    LinkFailed {
        en: "Layerlab started fresh; your own autosaved work is untouched until you work here.",
        zh: "Layerlab 已重新开始；在你开始在这里操作之前，你自动保存的工作不会受到影响。",
    }
    DiagnosticsLabel {
        en: "Problems in the Dockerfile",
        zh: "Dockerfile 中的问题",
    }
    DiagnosticError {
        en: "Error",
        zh: "错误",
    }
    DiagnosticWarning {
        en: "Warning",
        zh: "警告",
    }
    DiagnosticLine {
        en: "line",
        zh: "行",
    }
    LineCount {
        en: "lines",
        zh: "行",
    }
    WorkKept {
        en: "Your own work from before is kept in this browser.",
        zh: "你之前的工作仍保存在此浏览器中。",
    }
    WorkRestore {
        en: "Restore my work",
        zh: "恢复我的工作",
    }
    WorkDismiss {
        en: "Dismiss",
        zh: "不再提示",
    }
    SaveFailed {
        en: "Your work could not be saved in this browser (its storage is full or turned off): a reload would lose the latest changes. Download scenario keeps them in a file.",
        zh: "无法在此浏览器中保存你的工作（存储已满或已被禁用）：重新加载页面会丢失最近的更改。下载场景文件可以把它们保存到文件中。",
    }
    OtherTab {
        en: "Layerlab in another tab has just saved its work over this tab's. This tab stops saving until you choose.",
        zh: "另一个标签页中的 Layerlab 刚刚用它的工作覆盖了此标签页保存的工作。在你做出选择之前，此标签页不再保存。",
    }
    OtherTabLoad {
        en: "Load the other tab's work",
        zh: "载入另一个标签页的工作",
    }
    OtherTabKeep {
        en: "Keep this tab's work",
        zh: "保留此标签页的工作",
    }
    ScreenHidden {
        en: "earlier lines are not shown here; Download scenario keeps every command.",
        zh: "行较早的内容未在此显示；下载场景文件会保留每一条命令。",
    }
    RestLoading {
        en: "Loading the rest of Layerlab…",
        zh: "正在加载 Layerlab 的其余部分…",
    }
    HashingLayers {
        en: "Computing the new layers' digests (SHA-256) before the command's result appears",
        zh: "正在计算新层的摘要（SHA-256），算完后显示命令的结果",
    }
    RestoringCommands {
        en: "Restoring your work, command by command",
        zh: "正在逐条恢复你的工作",
    }
    HashingCancel {
        en: "Cancel",
        zh: "取消",
    }
    RestFailed {
        en: "This command needs the rest of Layerlab, which could not be loaded:",
        zh: "这条命令需要 Layerlab 的其余部分，但无法加载：",
    }
}

/// Shorthand used by components: `t(lang, Msg::Tagline)`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    msg.text(lang)
}

/// A colon before what follows it: `: ` in English, `：` in Chinese.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ": ",
        Lang::Zh => "：",
    }
}

/// Between a sentence (or a label ending in its colon) and what follows:
/// a space in English, nothing in Chinese, whose full-width punctuation
/// carries its own space.
pub fn gap(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " ",
        Lang::Zh => "",
    }
}

/// A comma in a list: `, ` in English, `，` in Chinese.
pub fn comma(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ", ",
        Lang::Zh => "，",
    }
}

/// `text` in brackets after what comes before: ` (text)` in English,
/// `（text）` in Chinese.
pub fn parenthesised(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => format!(" ({text})"),
        Lang::Zh => format!("（{text}）"),
    }
}

/// What separates two sentences: a space in English, nothing after `。`.
pub fn between_sentences(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " ",
        Lang::Zh => "",
    }
}

/// One wasted copy explained: which layer holds it, its bytes, and which
/// layer (and instruction) overwrote or deleted it. Layers count from 1.
pub fn wasted_copy(
    lang: Lang,
    layer: usize,
    bytes: &str,
    deleted: bool,
    by: usize,
    by_instruction: &str,
) -> String {
    match (lang, deleted) {
        (Lang::En, false) => format!(
            "layer {layer} holds a copy of {bytes}, overwritten by layer {by} ({by_instruction})"
        ),
        (Lang::En, true) => format!(
            "layer {layer} holds a copy of {bytes}, deleted by layer {by} ({by_instruction})"
        ),
        (Lang::Zh, false) => {
            format!("第 {layer} 层存有一份 {bytes} 的副本，被第 {by} 层覆盖（{by_instruction}）")
        }
        (Lang::Zh, true) => {
            format!("第 {layer} 层存有一份 {bytes} 的副本，被第 {by} 层删除（{by_instruction}）")
        }
    }
}

/// Which layer's copy the image shows (layers count from 1).
pub fn kept_in(lang: Lang, layer: usize) -> String {
    match lang {
        Lang::En => format!("the image shows the copy in layer {layer}"),
        Lang::Zh => format!("镜像显示的是第 {layer} 层中的那份"),
    }
}

/// The heading of one layer's list of changes (layers count from 1).
pub fn layer_changes(lang: Lang, layer: usize) -> String {
    match lang {
        Lang::En => format!("Changes in layer {layer}"),
        Lang::Zh => format!("第 {layer} 层的改动"),
    }
}

/// A Dockerfile hint in the learner's language. The match is exhaustive, so a
/// new hint without a Chinese text does not compile.
pub fn hint(lang: Lang, h: &layerlab_engine::dockerfile::Hint) -> String {
    use layerlab_engine::dockerfile::Hint;
    match lang {
        Lang::En => h.en(),
        Lang::Zh => match h {
            Hint::InstructionWord => "每一行都以一条指令开头：FROM、RUN、COPY、CMD……".into(),
            Hint::NoFlags(kw) => format!("{kw} 不接受任何选项"),
            Hint::Flags(kw, flags) => format!("{kw} 可用的选项：--{}", flags.join("、--")),
            Hint::EscapeToken => "escape 指令只接受反斜杠或反引号".into(),
            Hint::EmptyContinuation => {
                "删除这一空行，或在它之前结束指令；续行中的空行以后会成为错误".into()
            }
            Hint::EndHeredoc(name) => format!("用只包含 {name} 的一行来结束 heredoc"),
            Hint::StartWithFrom => "先指定基础镜像，例如：FROM ubuntu:15.04".into(),
            Hint::FromFirst => "每个构建阶段都以 FROM 开始；第一个 FROM 之前只能有 ARG".into(),
        },
    }
}

/// Layerlab's own note in a terminal line, in the learner's language. The
/// English is the engine's own text; the match is exhaustive, so a new note
/// without a Chinese text does not compile. Drawn only where a note is.
#[inline(never)]
pub fn note(lang: Lang, n: &layerlab_engine::note::Note) -> String {
    use layerlab_engine::note::fill;
    match lang {
        Lang::En => n.text(),
        Lang::Zh => fill(note_zh(n.key), &n.args),
    }
}

/// A note's Chinese template, with `{}` where the engine's arguments go.
fn note_zh(key: layerlab_engine::note::NoteKey) -> &'static str {
    use layerlab_engine::note::NoteKey as K;
    match key {
        K::ProgramNotSimulated => "layerlab：{}：这个程序的运行不做模拟；它以状态 0 退出，不改动任何文件",
        K::DockerAlone => "Layerlab：docker 命令目前须单独成行，前后的管道、重定向、分号、&& 和 $ 变量尚未模拟。请单独运行它（docker exec -i 可带 heredoc）。",
        K::LogsEmpty => "layerlab：{} 自身的输出不做模拟，所以这里的日志是空的",
        K::ServerStaysUp => "Layerlab 不运行 {} 的代码：容器像服务器一样保持 Up，不显示它的输出（docker run -d 让它在后台运行）。",
        K::ExecNotRun => "Layerlab 不运行 {} 的代码；容器里只运行 shell 及其程序（ls、cat、echo……）。",
        K::BackgroundJobs => "后台作业（&）不做模拟；请在前台运行这条命令",
        K::Compound => "复合命令“{}”尚未模拟；请把各步骤依次写出，用 && 或分号（;）连接",
        K::Functions => "函数定义（name() { … }）尚未模拟；请在用到的地方直接写出命令",
        K::Subshells => "子 shell（( … )）尚未模拟；请把各步骤依次写出，用 && 或分号（;）连接",
        K::DdStdin => "不模拟从标准输入读取；请用 if=文件 指定输入",
        K::EnvCommand => "不模拟通过 env 运行命令；请直接运行它",
        K::TailFollow => "不模拟跟踪文件（-f）；这是文件此刻的末尾",
        K::RemovePackages => "不模拟删除软件包；请改用更小的基础镜像来构建",
        K::GunzipTooLarge => "解压后超过 256 MB 的数据不做模拟",
        K::GzipTooLarge => "不模拟压缩超过 256 MB 的数据",
        K::ArchiveKind => "{} 格式的归档不做模拟；只支持 tar 和 tar.gz",
        K::StoppedSteps => "已停止：这条命令运行了超过 {} 条命令。Layerlab 限制一条命令的工作量",
        K::StoppedBytes => "已停止：这条命令产生了超过 {} 的数据。Layerlab 限制一条命令的工作量",
        K::StoppedWritten => "已停止：这条命令向文件写入了超过 {}。Layerlab 限制一条命令的工作量",
        K::StoppedDepth => "已停止：sh -c、$( ) 和 make 嵌套超过了 {} 层。Layerlab 限制一条命令的工作量",
        K::MakeTooLarge => "展开变量得到的文本超过了 {} MiB。Layerlab 限制一条命令的工作量。停止。",
        K::MoreLines => "[还有 {} 行未显示]",
        K::DockerdSaid => "Layerlab：dockerd 报告：{}",
        K::AufsRemoved => "Layerlab：Docker 24 已移除 aufs；这个守护进程按 Docker 1.x 到 23 使用 aufs 时的方式存放镜像层。",
        K::AddNoNetwork => "Layerlab 模拟的主机没有网络。请把文件放进构建上下文，改用 COPY",
        K::AddArchiveKind => "Layerlab 只解包 tar 和 tar.gz；请用 tar -czf 制作归档",
    }
}

/// A file-system object's kind in words (`file`, `dir`, `symlink`).
pub fn kind_word(lang: Lang, kind: layerlab_engine::diff::Kind) -> &'static str {
    use layerlab_engine::diff::Kind;
    t(
        lang,
        match kind {
            Kind::File => Msg::KindFile,
            Kind::Dir => Msg::KindDir,
            Kind::Symlink => Msg::KindSymlink,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages_and_is_not_empty() {
        for &msg in Msg::ALL {
            for lang in Lang::ALL {
                assert!(
                    !msg.text(lang).trim().is_empty(),
                    "{msg:?} is empty in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn chinese_messages_are_written_in_chinese() {
        let is_cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        for &msg in Msg::ALL {
            let zh = msg.text(Lang::Zh);
            assert!(
                zh.chars().any(is_cjk),
                "{msg:?} has no Chinese text: {zh:?}"
            );
            assert_ne!(zh, msg.text(Lang::En), "{msg:?} is not translated");
        }
    }

    #[test]
    fn every_note_has_a_chinese_text_with_the_same_arguments() {
        use layerlab_engine::note::{Note, NoteKey};
        for &key in NoteKey::ALL {
            let n = key.template().matches("{}").count();
            let args: Vec<&str> = ["python", "7", "x"][..n].to_vec();
            let note = Note::new(key, &args);
            let zh = super::note(Lang::Zh, &note);
            assert_ne!(zh, note.text(), "{key:?} is not translated");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key:?}: {zh}"
            );
            assert_eq!(note_zh(key).matches("{}").count(), n, "{key:?}'s arguments");
            for a in args {
                assert!(zh.contains(a), "{key:?} drops {a}: {zh}");
            }
            assert_eq!(
                crate::punctuation::problems(&zh),
                Vec::<String>::new(),
                "{key:?}: {zh}"
            );
        }
    }

    #[test]
    fn language_is_chosen_from_query_then_browser_then_english() {
        let prefs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cases: &[(Option<&str>, &[&str], Lang)] = &[
            (None, &[], Lang::En),
            (None, &["zh-CN", "en"], Lang::Zh),
            (None, &["zh-Hans"], Lang::Zh),
            (None, &["fr-FR", "zh-TW"], Lang::Zh),
            (None, &["de", "fr"], Lang::En),
            (Some("en"), &["zh-CN"], Lang::En),
            (Some("zh"), &["en-US"], Lang::Zh),
            (Some("klingon"), &["zh"], Lang::Zh),
            (Some(""), &[], Lang::En),
        ];
        for (query, browser, want) in cases {
            assert_eq!(
                Lang::choose(*query, &prefs(browser)),
                *want,
                "query {query:?}, browser {browser:?}"
            );
        }
    }
}
