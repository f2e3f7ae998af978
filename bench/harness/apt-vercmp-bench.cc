// Baseline for bench/matching-vercmp.bench.ts: libapt-pkg's debVS.CmpVersion() over the same
// pairs. Input: a file of lines "A<TAB>B" (full Debian versions), all read before timing.
// Output: "<pairs> <nanoseconds> <sum of sign(results)>", the nanoseconds being CPU time of this
// process (as the Node side measures its own), so that other work on a shared machine does not
// count.
#include <apt-pkg/debversion.h>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  if (argc != 2) { std::cerr << "usage: " << argv[0] << " pairs.tsv\n"; return 2; }
  std::ifstream in(argv[1]);
  if (!in) { std::cerr << argv[1] << ": cannot open\n"; return 1; }
  std::vector<std::string> a, b;
  std::string line;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    a.push_back(line.substr(0, tab));
    b.push_back(line.substr(tab + 1));
  }
  long sum = 0;
  timespec t0, t1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  for (size_t i = 0; i < a.size(); i++) {
    int r = debVS.CmpVersion(a[i], b[i]);
    sum += (r > 0) - (r < 0);
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  std::cout << a.size() << ' ' << (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec) << ' ' << sum << '\n';
  return 0;
}
