from busybox as one
run echo lower
copy a /b
Cmd ["sh"]
eNv x=y
