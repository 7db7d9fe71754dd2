/* fsutil.h — the few file-system operations publication needs: write a
 * whole file, read one, make and remove directory trees, fsync a file or a
 * directory, publish a file by hard link (copy as fallback), and replace a
 * file or symlink atomically (temp name + rename + directory fsync).
 * Nothing here knows what a corte is; callers decide what to sync and when. */
#ifndef PREP_FSUTIL_H
#define PREP_FSUTIL_H

#include <stddef.h>

#include "util/err.h"

/* Create (truncate) path with mode 0644 and write len bytes; fsync when sync. */
int prep_fs_write(const char *path, const void *data, size_t len, int sync, prep_err *err);
/* Write path atomically: path.tmp-<pid>, fsync, rename, fsync the directory. */
int prep_fs_write_atomic(const char *path, const void *data, size_t len, prep_err *err);
/* Read a whole file (NUL appended, not counted). *data is malloc'd. max 0 = no limit. */
int prep_fs_read(const char *path, char **data, size_t *len, size_t max, prep_err *err);
/* mkdir -p with mode 0755; fails if path exists and is not a directory. */
int prep_fs_mkdirs(const char *path, prep_err *err);
/* rm -rf; a missing path is not an error. Never follows symlinks. */
int prep_fs_rmtree(const char *path, prep_err *err);
int prep_fs_fsync_path(const char *path, prep_err *err); /* file or directory */
/* Flush the whole file system holding path (syncfs): one call instead of an
 * fsync per file when thousands of files were just written. */
int prep_fs_syncfs(const char *path, prep_err *err);
/* Make dst hold the bytes of src: hard link, else copy (fsync'd). An existing
 * dst is left alone (*created = 0): content-addressed files never change. */
int prep_fs_link_or_copy(const char *src, const char *dst, int *created, prep_err *err);
/* Point symlink `link` at `target` atomically (new link under a temp name,
 * rename over the old one, fsync the directory). */
int prep_fs_symlink_atomic(const char *target, const char *link, prep_err *err);
/* 1 if path exists (lstat), 0 if not. */
int prep_fs_exists(const char *path);
/* 1 if path is a directory with no entries or does not exist, else 0. */
int prep_fs_dir_is_empty(const char *path);
/* Join a and b with '/' into out; -1 (PREP_E_INVALID) when it does not fit. */
int prep_fs_join(char *out, size_t cap, const char *a, const char *b, prep_err *err);

#endif
