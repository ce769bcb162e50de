// C++ at the edges of `syscage strict`: a thread_local object whose
// destructor prints at exit, floating-point and hex stream formatting, and
// operator new past --memory: std::bad_alloc, caught.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <vector>

namespace {

struct PerThread {
	int uses = 0;
	~PerThread() { std::printf("thread_local destructor after %d uses\n", uses); }
};

thread_local PerThread per_thread;

} // namespace

int main(int argc, char **argv)
{
	std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 64;

	per_thread.uses++;
	std::cout << 3.14159 << ' ' << 1e100 << ' ' << std::hex << 255 << std::dec << '\n';
	try {
		std::vector<char> v(mib << 20, 'x');
		per_thread.uses++;
		std::cout << "allocated " << mib << " MiB\n";
	} catch (const std::bad_alloc &) {
		std::cout << "bad_alloc caught\n";
	}
	return 0;
}
