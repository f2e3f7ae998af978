// Baseline for bench/matching-vercmp.bench.ts: libapt-pkg's debVS.CmpVersion() over the same
// pairs. Input: a file of lines "A<TAB>B" (full Debian versions), all read before timing.
// Output: "<pairs> <nanoseconds> <sum of sign(results)>".
#include <apt-pkg/debversion.h>
#include <chrono>
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
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < a.size(); i++) {
    int r = debVS.CmpVersion(a[i], b[i]);
    sum += (r > 0) - (r < 0);
  }
  auto t1 = std::chrono::steady_clock::now();
  std::cout << a.size() << ' ' << std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count() << ' ' << sum << '\n';
  return 0;
}
