//! Guided lessons along the source tutorial: each has an explanation, a task
//! whose goal is checked on the engine's state (never on what was typed),
//! hints, a solution (command lines the terminal types for the learner), and a
//! short "why" once the goal is reached. Every text is in both languages; the
//! `Text` type makes a missing translation fail to compile.

use crate::i18n::Lang;
use layerlab_engine::command::Session;
use layerlab_engine::host::State;

/// A text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

const fn text(en: &'static str, zh: &'static str) -> Text {
    Text { en, zh }
}

pub struct Lesson {
    /// Stable across versions: saved progress and links name lessons by it.
    pub id: &'static str,
    pub title: Text,
    pub explain: Text,
    pub task: Text,
    pub hints: &'static [Text],
    /// Lines run in a fresh workspace to reach the lesson's starting state.
    pub setup: &'static [&'static str],
    /// Lines that reach the goal from the starting state.
    pub solution: &'static [&'static str],
    /// Whether the goal is reached, read from the engine's state.
    pub check: fn(&Session) -> bool,
    /// Shown once the goal is reached.
    pub why: Text,
    /// A figure to predict before seeing it.
    pub quiz: Option<Quiz>,
}

/// Predict a figure Docker will print: the answer is read from the engine in
/// the state the solution reaches, so it is always the one the terminal shows.
pub struct Quiz {
    pub question: Text,
    pub answer: fn(&Session) -> Option<String>,
}

impl Quiz {
    /// The answer, from a scratch workspace replaying the lesson's solution.
    pub fn answer_for(&self, lesson: &Lesson) -> Option<String> {
        let mut lines = setup_log(lesson);
        lines.extend(lesson.solution.iter().map(|l| (*l).to_owned()));
        let w = crate::workspace::Workspace::replay(&lines);
        (self.answer)(&w.session)
    }

    /// Whether a guess says the same figure (`2.1 MB`, `2.1mb` and `2.1MB` do).
    pub fn is_right(guess: &str, answer: &str) -> bool {
        let norm = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase()
        };
        !guess.trim().is_empty() && norm(guess) == norm(answer)
    }
}

/// A container's SIZE as `docker ps -s` prints it.
fn ps_size(s: &Session, name: &str) -> Option<String> {
    let c = s.host.container(name).ok()?;
    Some(layerlab_engine::size::human_size_with_precision(
        c.size_rw() as f64,
        3,
    ))
}

impl Lesson {
    pub fn by_id(id: &str) -> Option<usize> {
        LESSONS.iter().position(|l| l.id == id)
    }

    /// The lesson at an index the app keeps (`None`: the sandbox).
    pub fn at(index: Option<usize>) -> Option<&'static Lesson> {
        index.and_then(|i| LESSONS.get(i))
    }
}

fn running(s: &Session, name: &str) -> bool {
    s.host
        .container(name)
        .is_ok_and(|c| matches!(c.state, State::Running { .. }))
}

fn size_rw(s: &Session, name: &str) -> u64 {
    s.host.container(name).map_or(0, |c| c.size_rw())
}

fn upper_has(s: &Session, name: &str, path: &str) -> bool {
    s.host.container(name).is_ok_and(|c| {
        layerlab_engine::path::FsPath::lexical(path)
            .ok()
            .is_some_and(|p| c.fs.upper().get(&p).is_some())
    })
}

pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "layers",
        title: text("1. A Dockerfile becomes layers", "1. 从 Dockerfile 到镜像层"),
        explain: text(
            "Each RUN, COPY and ADD adds a read-only layer on top of the ones below; CMD, ENV and the other metadata instructions only add history entries (0B). Today's builder (BuildKit) writes the layers directly; the legacy builder of the tutorial's era committed an intermediate image after every instruction.",
            "每条 RUN、COPY 和 ADD 都会在已有镜像层之上再加一个只读层；CMD、ENV 等元数据指令只添加一条历史记录（大小为 0B）。如今的构建器（BuildKit）直接写出镜像层；教程那个年代的旧版构建器则在每条指令之后都提交一个中间镜像。",
        ),
        task: text(
            "Build the Dockerfile with BuildKit (docker build -t app .), then again with the legacy builder (DOCKER_BUILDKIT=0 docker build -t app:legacy .). Compare docker history app with docker history app:legacy.",
            "先用 BuildKit 构建（docker build -t app .），再用旧版构建器构建（DOCKER_BUILDKIT=0 docker build -t app:legacy .），然后对比 docker history app 和 docker history app:legacy 的输出。",
        ),
        hints: &[
            text("The Build button types the first command for you.", "“构建镜像”按钮会替你输入第一条命令。"),
            text("docker images -a shows the legacy builder's intermediate images.", "docker images -a 能列出旧版构建器留下的中间镜像。"),
        ],
        setup: &[],
        solution: &["docker build -t app .", "DOCKER_BUILDKIT=0 docker build -t app:legacy ."],
        check: |s| {
            s.host.image("app").is_ok()
                && s.host
                    .image("app:legacy")
                    .is_ok_and(|i| i.parent.is_some())
        },
        quiz: None,
        why: text(
            "Both images hold the same files, but the legacy one has a parent chain: one image per instruction, which is why the tutorial says that each instruction creates a layer.",
            "两个镜像包含的文件相同，但旧版构建器的镜像带有一条父镜像链：每条指令对应一个镜像。教程说“每条指令创建一层”，指的就是这个。",
        ),
    },
    Lesson {
        id: "container",
        title: text("2. A container is an image plus a writable layer", "2. 容器 = 镜像 + 一个可写层"),
        explain: text(
            "docker create stacks one thin writable layer (the container layer) on the image's read-only layers; docker start runs the main process in it. docker run does both.",
            "docker create 会在镜像的只读层之上叠加一个很薄的可写层（容器层）；docker start 在容器里运行主进程。docker run 等于先 create 再 start。",
        ),
        task: text(
            "Create a container named web from nginx with docker create, then start it.",
            "用 docker create 从 nginx 创建一个名为 web 的容器，然后启动它。",
        ),
        hints: &[text("docker create --name web nginx", "docker create --name web nginx")],
        setup: &["docker pull nginx"],
        solution: &["docker create --name web nginx", "docker start web"],
        check: |s| running(s, "web"),
        quiz: None,
        why: text(
            "The stage shows web standing on nginx's layers with its own writable layer on top; creating it copied nothing.",
            "舞台上，web 立在 nginx 的镜像层之上，最上面是它自己的可写层；创建容器时没有复制任何文件。",
        ),
    },
    Lesson {
        id: "writable",
        title: text("3. Changes happen only in the writable layer", "3. 所有修改只发生在可写层"),
        explain: text(
            "Creating, changing and deleting files inside a container writes only to its writable layer; the image's layers never change. docker diff lists the changes: A (added), C (changed), D (deleted).",
            "在容器里创建、修改、删除文件，都只写入它的可写层；镜像层始终不变。docker diff 列出这些改动：A（新增）、C（修改）、D（删除）。",
        ),
        task: text(
            "In container web, add a file, change a file of the image and delete another, so that docker diff web shows A, C and D.",
            "在容器 web 中新增一个文件，修改镜像里的一个文件，再删除另一个文件，让 docker diff web 的输出同时出现 A、C 和 D。",
        ),
        hints: &[
            text("docker exec -it web bash gives you a shell inside; exit leaves it.", "docker exec -it web bash 可以进入容器里的 shell；输入 exit 退出。"),
            text("echo hi > /hello.txt, echo x >> /etc/os-release, rm /etc/debian_version", "echo hi > /hello.txt、echo x >> /etc/os-release、rm /etc/debian_version"),
        ],
        setup: &["docker run -d --name web nginx"],
        solution: &[
            "docker exec web sh -c 'echo hi > /hello.txt; echo x >> /etc/os-release; rm /etc/debian_version'",
            "docker diff web",
        ],
        check: |s| {
            let Ok(changes) = s.host.diff("web") else {
                return false;
            };
            let kinds: Vec<String> = changes.iter().map(|c| c.to_string()).collect();
            ["A ", "C ", "D "]
                .iter()
                .all(|k| kinds.iter().any(|c| c.starts_with(k)))
        },
        quiz: None,
        why: text(
            "The deleted file is still in the image: the writable layer only hides it with a whiteout.",
            "被删除的文件其实还在镜像里：可写层只是用一个遮蔽文件（whiteout）把它遮住了。",
        ),
    },
    Lesson {
        id: "sharing",
        title: text("4. Containers share one copy of the image", "4. 多个容器共享同一份镜像"),
        explain: text(
            "However many containers run from one image, its layers are stored once; each container adds only its own writable layer.",
            "无论用一个镜像运行多少个容器，镜像层都只存储一份；每个容器只多出自己的可写层。",
        ),
        task: text(
            "Run three containers of nginx: web1, web2 and web3. Then compare the two totals in the Disk usage pane, beside the stage.",
            "运行三个 nginx 容器：web1、web2 和 web3，然后比较舞台旁边“磁盘占用”面板里的两个总数。",
        ),
        hints: &[text("docker run -d --name web1 nginx", "docker run -d --name web1 nginx")],
        setup: &["docker pull nginx"],
        solution: &[
            "docker run -d --name web1 nginx",
            "docker run -d --name web2 nginx",
            "docker run -d --name web3 nginx",
        ],
        check: |s| ["web1", "web2", "web3"].iter().all(|n| running(s, n)),
        quiz: Some(Quiz {
            question: text(
                "Before you look: how much disk do the three nginx containers use together (image included)? Docker's units, e.g. 42.5MB.",
                "先别急着看：三个 nginx 容器连同镜像一共占用多少磁盘？请用 Docker 的写法回答，例如 42.5MB。",
            ),
            answer: |s| {
                let u = s.host.disk_usage();
                Some(layerlab_engine::size::human_size_with_precision(u.total as f64, 3))
            },
        }),
        why: text(
            "Three containers use 109MB of disk, not 327MB: the image's layers are shared.",
            "三个容器一共只占用 109MB 磁盘，而不是 327MB：镜像层是共享的。",
        ),
    },
    Lesson {
        id: "drivers",
        title: text("5. Storage drivers stack layers and copy on write", "5. 存储驱动：叠加镜像层，写时复制"),
        explain: text(
            "overlay2 (and aufs before it) mount the layers as one union file system and copy a file up on first write. vfs has no copy-on-write: every layer is a full copy. The daemon's driver is set in /etc/docker/daemon.json; a store under another driver starts empty.",
            "overlay2（以及之前的 aufs）把镜像层挂载成一个联合文件系统，第一次写入某个文件时，先把它复制到可写层（copy-up）。vfs 没有写时复制：每一层都是一份完整的副本。守护进程的存储驱动在 /etc/docker/daemon.json 中设置；换用另一个驱动后，镜像存储从空开始。",
        ),
        task: text(
            "Restart the daemon with the vfs driver and pull busybox there; then look at /var/lib/docker/vfs/dir.",
            "改用 vfs 驱动重启守护进程，再拉取 busybox；然后查看 /var/lib/docker/vfs/dir。",
        ),
        hints: &[
            text("echo '{\"storage-driver\": \"vfs\"}' > /etc/docker/daemon.json", "echo '{\"storage-driver\": \"vfs\"}' > /etc/docker/daemon.json"),
            text("systemctl restart docker", "systemctl restart docker"),
        ],
        setup: &[],
        solution: &[
            "echo '{\"storage-driver\": \"vfs\"}' > /etc/docker/daemon.json",
            "systemctl restart docker",
            "docker pull busybox",
            "ls /var/lib/docker/vfs/dir",
        ],
        check: |s| s.driver.name() == "vfs" && s.host.image("busybox").is_ok(),
        quiz: None,
        why: text(
            "Under vfs each layer's directory holds the whole file system up to that layer, so nothing is shared between layers.",
            "在 vfs 下，每一层的目录都包含到这一层为止的完整文件系统，层与层之间什么都不共享。",
        ),
    },
    Lesson {
        id: "size",
        title: text("6. docker ps -s: size and virtual size", "6. docker ps -s：size 与 virtual size"),
        explain: text(
            "SIZE is the container's writable layer; virtual adds the image's read-only layers. The disk really used by N containers of one image is Σ size + (virtual − size), not Σ virtual.",
            "SIZE 是容器可写层的大小；virtual 是它再加上镜像各只读层的大小。同一镜像的 N 个容器实际占用的磁盘是 Σ size + (virtual − size)，而不是 Σ virtual。",
        ),
        task: text(
            "Make container web grow by more than 1 MB without changing the image, and predict its SIZE before you look at docker ps -s.",
            "不改动镜像，让容器 web 增大 1 MB 以上；在查看 docker ps -s 之前，先预测它的 SIZE。",
        ),
        hints: &[text(
            "dd if=/dev/zero of=/data bs=1M count=2 writes 2 MB.",
            "dd if=/dev/zero of=/data bs=1M count=2 会写入 2 MB。",
        )],
        setup: &["docker run -d --name web nginx"],
        solution: &["docker exec web dd if=/dev/zero of=/data bs=1M count=2", "docker ps -s"],
        check: |s| size_rw(s, "web") > 1_000_000 && s.host.image("nginx").is_ok(),
        quiz: Some(Quiz {
            question: text(
                "Before you look: what SIZE will docker ps -s show for web after dd writes 2 blocks of 1M?",
                "先别急着看：dd 写入 2 个 1M 的块之后，docker ps -s 显示 web 的 SIZE 是多少？",
            ),
            answer: |s| ps_size(s, "web"),
        }),
        why: text(
            "bs=1M count=2 wrote 2,097,152 bytes: SIZE shows 2.1MB, virtual grew by the same amount, and the image did not change.",
            "bs=1M count=2 写入了 2,097,152 字节：SIZE 显示 2.1MB，virtual 增加了同样的量，而镜像没有任何变化。",
        ),
    },
    Lesson {
        id: "cow",
        title: text("7. Copy-on-write, file by file", "7. 写时复制：以整个文件为单位"),
        explain: text(
            "Reading a file of the image copies nothing. The first write copies the whole file up into the writable layer, even to append one byte. Deleting leaves a whiteout; removing a directory and making it again makes it opaque.",
            "读取镜像中的文件不会复制任何东西。第一次写入会把整个文件复制到可写层，哪怕只追加一个字节。删除文件会留下遮蔽文件（whiteout）；删除目录后再重新创建，它会变成不透明目录（opaque）。",
        ),
        task: text(
            "Append one byte to /usr/lib/x86_64-linux-gnu/libcrypto.so.3 (4.46 MB) in web, and see web's SIZE.",
            "在容器 web 中给 /usr/lib/x86_64-linux-gnu/libcrypto.so.3（4.46 MB）追加一个字节，然后查看 web 的 SIZE。",
        ),
        hints: &[text(
            "printf x >> /usr/lib/x86_64-linux-gnu/libcrypto.so.3",
            "printf x >> /usr/lib/x86_64-linux-gnu/libcrypto.so.3",
        )],
        setup: &["docker run -d --name web nginx"],
        solution: &[
            "docker exec web sh -c 'printf x >> /usr/lib/x86_64-linux-gnu/libcrypto.so.3'",
            "docker ps -s",
        ],
        check: |s| upper_has(s, "web", "/usr/lib/x86_64-linux-gnu/libcrypto.so.3"),
        quiz: Some(Quiz {
            question: text(
                "Before you look: what SIZE will docker ps -s show for web after appending one byte to the 4,455,728-byte libcrypto.so.3?",
                "先别急着看：给 4,455,728 字节的 libcrypto.so.3 追加一个字节之后，docker ps -s 显示 web 的 SIZE 是多少？",
            ),
            answer: |s| ps_size(s, "web"),
        }),
        why: text(
            "This 1-byte append copied the whole 4.46 MB file up: SIZE grew by the whole file.",
            "只追加了一个字节，却把整个 4.46 MB 的文件复制到了可写层：SIZE 增加了整个文件的大小。",
        ),
    },
    Lesson {
        id: "pull",
        title: text("8. docker pull: layers one by one", "8. docker pull：逐层拉取"),
        explain: text(
            "A pull fetches the image's layers one by one by digest and skips those the host already has (Already exists). The digest it prints is the manifest's; the image ID is the digest of the config: they differ.",
            "docker pull 按摘要逐层下载镜像层，跳过主机上已有的层（显示 Already exists）。它最后打印的 Digest 是清单（manifest）的摘要，而镜像 ID 是镜像配置（config）的摘要：两者并不相同。",
        ),
        task: text(
            "Pull nginx, then python:3-slim, which stands on the same Debian layer. Compare DIGEST and IMAGE ID in docker images --digests.",
            "先拉取 nginx，再拉取基于同一个 Debian 层的 python:3-slim，然后对比 docker images --digests 输出中的 DIGEST 和 IMAGE ID。",
        ),
        hints: &[text("docker pull python:3-slim", "docker pull python:3-slim")],
        setup: &[],
        solution: &["docker pull nginx", "docker pull python:3-slim", "docker images --digests"],
        check: |s| s.host.image("nginx").is_ok() && s.host.image("python:3-slim").is_ok(),
        quiz: None,
        why: text(
            "The shared Debian layer came down once: the second pull said Already exists for it.",
            "共享的 Debian 层只下载了一次：第二次拉取时，这一层显示 Already exists。",
        ),
    },
    Lesson {
        id: "disk",
        title: text("9. On disk: /var/lib/docker", "9. 磁盘上：/var/lib/docker"),
        explain: text(
            "Since Docker 1.10 layers are named by digests of their content (DiffID, ChainID), but the storage driver keeps each in a directory with a random-looking cache ID. layerdb/sha256/<ChainID>/cache-id says which directory holds a layer.",
            "从 Docker 1.10 起，镜像层按内容的摘要命名（DiffID、ChainID），但存储驱动把每一层放在一个名字看似随机的目录（cache ID）里。layerdb/sha256/<ChainID>/cache-id 记录了这一层存放在哪个目录。",
        ),
        task: text(
            "Pull busybox and write the cache ID of its layer into /root/answer.txt.",
            "拉取 busybox，并把它那一层的 cache ID 写入 /root/answer.txt。",
        ),
        hints: &[
            text("ls /var/lib/docker/image/overlay2/layerdb/sha256", "ls /var/lib/docker/image/overlay2/layerdb/sha256"),
            text("cat …/layerdb/sha256/*/cache-id > /root/answer.txt", "cat …/layerdb/sha256/*/cache-id > /root/answer.txt"),
        ],
        setup: &[],
        solution: &[
            "docker pull busybox",
            "cat /var/lib/docker/image/overlay2/layerdb/sha256/*/cache-id > /root/answer.txt",
            "ls /var/lib/docker/overlay2",
        ],
        check: |s| {
            let Ok(image) = s.host.image("busybox") else {
                return false;
            };
            let Some(chain) = image.chain_ids().last().cloned() else {
                return false;
            };
            let want = layerlab_engine::storage::cache_id(&chain);
            s.host_fs
                .read("/root/answer.txt")
                .is_ok_and(|(c, _)| String::from_utf8_lossy(&c.to_vec()).trim() == want)
        },
        quiz: None,
        why: text(
            "The directory name matches no digest docker prints: only the layer database links them.",
            "这个目录名和 docker 打印的任何摘要都对不上：只有镜像层数据库（layerdb）把两者联系起来。",
        ),
    },
    Lesson {
        id: "commit",
        title: text("10. docker commit: a container becomes an image", "10. docker commit：把容器保存为镜像"),
        explain: text(
            "docker commit turns the writable layer into a new read-only layer on top of the container's image. It works, but nobody can see how the image was made: a Dockerfile is usually better.",
            "docker commit 把容器的可写层变成一个新的只读层，叠在容器所用的镜像之上。这样做可行，但别人看不出镜像是怎么做出来的：通常用 Dockerfile 更好。",
        ),
        task: text(
            "Change the home page in web, then commit web as the image web:v2 and look at docker history web:v2.",
            "修改 web 中的首页，然后把 web 提交为镜像 web:v2，并查看 docker history web:v2。",
        ),
        hints: &[text(
            "docker commit -m 'new page' web web:v2",
            "docker commit -m 'new page' web web:v2",
        )],
        setup: &["docker run -d --name web nginx"],
        solution: &[
            "docker exec web sh -c 'echo \"<h1>v2</h1>\" > /usr/share/nginx/html/index.html'",
            "docker commit -m 'new page' web web:v2",
            "docker history web:v2",
        ],
        check: |s| {
            s.host.image("web:v2").is_ok_and(|i| {
                i.config
                    .history
                    .last()
                    .is_some_and(|h| !h.empty_layer)
            })
        },
        quiz: None,
        why: text(
            "The history's top line is your change, with a command nobody can rebuild from.",
            "历史记录最上面一行就是你的修改，但它记下的命令没法用来重新构建这个镜像。",
        ),
    },
    Lesson {
        id: "image-size",
        title: text("11. Why rm in a later layer does not shrink an image", "11. 为什么在后面的层里 rm 不能让镜像变小"),
        explain: text(
            "Each layer keeps what it added. Deleting a file in a later layer only hides it with a whiteout, so the image stays as big. Cleaning up in the same RUN keeps the files out of every layer. The build cache reuses steps whose inputs did not change.",
            "每一层都保留它加入的内容。在后面的层里删除文件，只是用遮蔽文件（whiteout）把它遮住，镜像并不会变小。在同一条 RUN 里清理，文件就不会进入任何一层。构建缓存会复用输入没有变化的步骤。",
        ),
        task: text(
            "Build an image tagged small from debian:bookworm-slim that runs apt-get update and stays under 80MB.",
            "基于 debian:bookworm-slim 构建一个标签为 small 的镜像，其中运行 apt-get update，并且镜像小于 80MB。",
        ),
        hints: &[
            text(
                "RUN apt-get update && rm -rf /var/lib/apt/lists/*  (one RUN)",
                "RUN apt-get update && rm -rf /var/lib/apt/lists/*（同一条 RUN）",
            ),
            text("Write the Dockerfile in the editor and press Build, or use cat > Dockerfile <<'EOF'.", "在编辑器里写好 Dockerfile 后按“构建镜像”，或者用 cat > Dockerfile <<'EOF'。"),
        ],
        setup: &[],
        solution: &[
            "cat > Dockerfile <<'EOF'\nFROM debian:bookworm-slim\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nEOF",
            "docker build -t small .",
            "docker images",
        ],
        check: |s| {
            s.host.image("small").is_ok_and(|i| {
                i.size() < 80_000_000
                    && i.config
                        .history
                        .iter()
                        .any(|h| h.created_by.contains("apt-get update"))
            })
        },
        quiz: None,
        why: text(
            "One RUN: the package lists never reach a layer. Split into two RUNs, the image would be 120MB.",
            "只用一条 RUN，软件包列表就不会进入任何一层。如果拆成两条 RUN，镜像会有 120MB。",
        ),
    },
];

/// A fresh workspace's command log for a lesson's starting state.
pub fn setup_log(lesson: &Lesson) -> Vec<String> {
    lesson.setup.iter().map(|l| (*l).to_owned()).collect()
}

/// How many of the lesson's solution steps the log holds in order right after
/// the lesson's setup: the presenter's place, however the timeline moved.
pub fn steps_done(lesson: &Lesson, log: &[String]) -> usize {
    let setup = lesson.setup.len();
    let set_up = log.len() >= setup && log.iter().zip(lesson.setup).all(|(a, b)| a == b.trim());
    if !set_up {
        return 0;
    }
    log[setup..]
        .iter()
        .zip(lesson.solution)
        .take_while(|(a, b)| a.as_str() == b.trim())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    #[test]
    fn the_presenters_place_follows_the_log() {
        for lesson in LESSONS {
            let setup = setup_log(lesson);
            let with = |extra: &[&str]| {
                let mut log = setup.clone();
                log.extend(extra.iter().map(|l| l.trim().to_owned()));
                steps_done(lesson, &log)
            };
            let n = lesson.solution.len();
            // (the log after the setup, the steps it holds)
            let cases: Vec<(Vec<&str>, usize)> = vec![
                (vec![], 0),
                (lesson.solution.to_vec(), n),
                (lesson.solution[..n - 1].to_vec(), n - 1),
                ([&lesson.solution[..1], &["docker ps -a"][..]].concat(), 1),
                (vec!["docker images"], 0),
            ];
            for (extra, want) in cases {
                assert_eq!(with(&extra), want, "{}: {extra:?}", lesson.id);
            }
            // A log that does not start with the setup (another lesson's, the
            // sandbox's) holds none of its steps.
            let mut elsewhere = vec!["echo elsewhere".to_owned()];
            elsewhere.extend(setup.iter().cloned());
            elsewhere.extend(lesson.solution.iter().map(|l| l.trim().to_owned()));
            assert_eq!(steps_done(lesson, &elsewhere), 0, "{}", lesson.id);
            // Replayed for real, the log gives the same place.
            let mut w = Workspace::replay(&setup);
            for line in &lesson.solution[..n.min(2)] {
                w.submit(line);
            }
            assert_eq!(
                steps_done(lesson, &w.console.log),
                n.min(2),
                "{}",
                lesson.id
            );
        }
    }

    #[test]
    fn each_solution_reaches_the_goal_and_the_start_does_not() {
        for lesson in LESSONS {
            let mut w = Workspace::replay(&setup_log(lesson));
            assert!(
                !(lesson.check)(&w.session),
                "{}: the goal is already reached at the start",
                lesson.id
            );
            for line in lesson.solution {
                w.submit(line);
            }
            assert!(
                (lesson.check)(&w.session),
                "{}: the solution does not reach the goal; the terminal shows {:?}",
                lesson.id,
                w.console.screen
            );
        }
    }

    #[test]
    fn quizzes_answer_with_the_figures_docker_prints() {
        let answers: Vec<(&str, Option<String>)> = LESSONS
            .iter()
            .filter_map(|l| l.quiz.as_ref().map(|q| (l.id, q.answer_for(l))))
            .collect();
        assert_eq!(
            answers,
            [
                ("sharing", Some("109MB".to_owned())),
                ("size", Some("2.1MB".to_owned())),
                ("cow", Some("4.46MB".to_owned())),
            ]
        );
        assert!(Quiz::is_right(" 4.46 mb", "4.46MB"));
        assert!(!Quiz::is_right("1B", "4.46MB"));
        assert!(!Quiz::is_right("", "4.46MB"));
    }

    #[test]
    fn every_text_is_there_in_both_languages() {
        for l in LESSONS {
            let texts = [l.title, l.explain, l.task, l.why]
                .into_iter()
                .chain(l.hints.iter().copied())
                .chain(l.quiz.as_ref().map(|q| q.question));
            for t in texts {
                assert!(
                    !t.en.trim().is_empty() && !t.zh.trim().is_empty(),
                    "{}: {t:?}",
                    l.id
                );
            }
            // Prose in Chinese really is Chinese (commands may stay as they are).
            for t in [l.title, l.explain, l.task, l.why] {
                assert!(
                    t.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}: {:?} is not translated",
                    l.id,
                    t.zh
                );
            }
        }
        let ids: std::collections::BTreeSet<_> = LESSONS.iter().map(|l| l.id).collect();
        assert_eq!(ids.len(), LESSONS.len(), "lesson ids are unique");
    }
}
