// C++ under `syscage strict`: containers, strings, streams, exceptions,
// a static object whose destructor prints, atexit handlers, and output
// left in cout's buffer (no endl, no flush) when main returns.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Noisy {
	std::string name;
	explicit Noisy(const char *n) : name(n) {}
	~Noisy() { std::cout << "destructor of " << name << " ran\n"; }
};

Noisy global("global");

void first_registered() { std::printf("atexit 1 (registered first, runs last)\n"); }
void second_registered() { std::printf("atexit 2\n"); }

int parse(const std::string &s)
{
	std::size_t used = 0;
	int v = std::stoi(s, &used);
	if (used != s.size())
		throw std::invalid_argument("not a number: " + s);
	return v;
}

} // namespace

int main()
{
	std::atexit(first_registered);
	std::atexit(second_registered);

	// words from stdin, counted in a map and an unordered_map
	std::map<std::string, int> counts;
	std::unordered_map<std::string, int> lengths;
	std::vector<std::string> words;
	std::string w;
	while (std::cin >> w) {
		counts[w]++;
		lengths[w] = static_cast<int>(w.size());
		words.push_back(w);
	}
	std::sort(words.begin(), words.end());
	words.erase(std::unique(words.begin(), words.end()), words.end());
	for (const auto &kv : counts)
		std::cout << kv.first << '=' << kv.second << ' ';
	std::cout << '\n' << "distinct " << words.size() << " longest "
		  << std::max_element(lengths.begin(), lengths.end(),
				      [](const auto &a, const auto &b) { return a.second < b.second; })->first
		  << '\n';

	// a big vector: growth and a sum
	std::vector<long> v;
	for (long i = 0; i < 1000000; i++)
		v.push_back(i * i % 1000);
	long sum = 0;
	for (long x : v)
		sum += x;
	std::cout << "vector sum " << sum << '\n';

	// string building and a stringstream
	std::ostringstream os;
	for (int i = 0; i < 5; i++)
		os << i << (i < 4 ? "," : "");
	std::cout << "joined " << os.str() << " to_string " << std::to_string(3.5) << '\n';

	// exceptions: thrown and caught
	try {
		parse("12x");
		std::cout << "no exception\n";
	} catch (const std::invalid_argument &e) {
		std::cout << "caught " << e.what() << '\n';
	}
	auto p = std::make_unique<Noisy>("unique_ptr");
	p.reset();

	std::cout << "the end, without endl";
	return 0;
}
