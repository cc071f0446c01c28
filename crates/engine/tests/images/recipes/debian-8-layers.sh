#!/bin/sh
# The benchmark image: a Debian bookworm root file system made from Debian's
# own packages, imported into Docker 26 and grown with real layers, then
# saved. About 400 MB in 8 layers:
#
#   1. `docker import` of `mmdebstrap --variant=minbase bookworm` (a tar
#      made reproducible by SOURCE_DATE_EPOCH)
#   2. COPY of .deb files (python3 and perl with what they need that minbase
#      lacks, downloaded by apt into the build context)
#   3. RUN dpkg -i of them (python3-minimal and python3 last, one at a
#      time: each pre-depends on what comes before it)
#   4. RUN a 64 MiB file written
#   5. RUN the same file overwritten (its first copy is wasted)
#   6. RUN chmod of it (a copy-up: the metadata change copies 64 MiB again)
#   7. RUN the .deb files, the documentation and the man pages deleted
#      (whiteouts of files and of directories)
#   8. COPY of a small text file
#
# Usage, as root with the Docker 26 oracle started (see the oracle's README):
#   eval "$(setup-docker26.sh env)"; sh debian-8-layers.sh OUT.tar
# Needs mmdebstrap and a Debian mirror in apt's sources; the daemon never
# reaches a network (the build runs with --network=none).
set -eu
out=${1:?usage: debian-8-layers.sh OUT.tar}
docker=${DOCKER:-docker}
tag=layerlab-bench/debian-8:1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ctx/debs"
export SOURCE_DATE_EPOCH=1700000000

# The root file system, and the .deb files of the packages to add (apt, run
# inside the new root, downloads them with the dependencies minbase lacks).
mmdebstrap --quiet --variant=minbase --mode=root \
  --customize-hook='mkdir -p "$1/tmp/debs/partial"' \
  --customize-hook='chroot "$1" apt-get install --yes --download-only -o Dir::Cache::Archives=/tmp/debs/ python3 perl libicu72 libxml2' \
  --customize-hook="copy-out /tmp/debs $work/ctx" \
  --customize-hook='rm -rf "$1/tmp/debs"' \
  bookworm "$work/rootfs.tar"
rm -rf "$work/ctx/debs/partial" "$work/ctx/debs/lock"

"$docker" import --change 'CMD ["bash"]' "$work/rootfs.tar" layerlab-bench/debian-base:bookworm >/dev/null
printf 'Layerlab benchmark image\n' >"$work/ctx/motd"
cat >"$work/ctx/Dockerfile" <<'EOF'
FROM layerlab-bench/debian-base:bookworm
COPY debs/ /debs/
RUN dpkg -i $(ls /debs/*.deb | grep -v -e /python3_ -e /python3-minimal_) && dpkg -i /debs/python3-minimal_*.deb && dpkg -i /debs/python3_*.deb
RUN head -c 67108864 /dev/urandom > /opt/big.bin
RUN head -c 67108864 /dev/urandom > /opt/big.bin
RUN chmod 600 /opt/big.bin
RUN rm -rf /debs /usr/share/doc /usr/share/man
COPY motd /etc/motd
EOF
"$docker" build --network=none --progress=plain -t "$tag" "$work/ctx" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
"$docker" save "$tag" -o "$out.part"
mv "$out.part" "$out"
