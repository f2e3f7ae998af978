/* Baseline for bench/matching-vercmp.bench.ts: librpm's own rpmvercmp() over the same pairs.
 * Input: a file of lines "E:V-R<TAB>E:V-R". Every EVR is split before timing; the timed loop
 * compares epoch, version and release with rpmvercmp() as rpm.labelCompare does.
 * Output: "<pairs> <nanoseconds> <sum of results>", the nanoseconds being CPU time of this
 * process (as the Node side measures its own), so that other work on a shared machine does not
 * count. */
#define _POSIX_C_SOURCE 200809L
#include <rpm/rpmlib.h>
#include <rpm/rpmver.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { char *e, *v, *r; } evr_t;

static void split(char *s, evr_t *out) {
  char *colon = strchr(s, ':');
  char *dash = strrchr(s, '-');
  out->e = "0";
  if (colon) { *colon = '\0'; out->e = s; s = colon + 1; }
  out->v = s;
  out->r = NULL;
  if (dash && dash > s) { *dash = '\0'; out->r = dash + 1; }
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s pairs.tsv\n", argv[0]); return 2; }
  FILE *f = fopen(argv[1], "r");
  if (!f) { perror(argv[1]); return 1; }
  size_t cap = 1 << 20, n = 0;
  evr_t *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
  char *line = NULL;
  size_t len = 0;
  while (getline(&line, &len, f) > 0) {
    line[strcspn(line, "\n")] = '\0';
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = '\0';
    if (n == cap) { cap *= 2; a = realloc(a, cap * sizeof *a); b = realloc(b, cap * sizeof *b); }
    split(strdup(line), &a[n]);
    split(strdup(tab + 1), &b[n]);
    n++;
  }
  struct timespec t0, t1;
  long sum = 0;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  for (size_t i = 0; i < n; i++) {
    int rc = rpmvercmp(a[i].e, b[i].e);
    if (!rc) rc = rpmvercmp(a[i].v, b[i].v);
    if (!rc && a[i].r && b[i].r) rc = rpmvercmp(a[i].r, b[i].r);
    sum += rc;
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  printf("%zu %lld %ld\n", n, ns, sum);
  return 0;
}
