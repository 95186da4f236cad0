// bench_tensor — the two peer programs of ../shared/peers.md (mlp, slicer) written with symshape:
// eager time per call and per op, export time (and per recorded node), run() time of the exported
// program; mlp_dynamic: mlp exported with a dynamic batch dim("batch", 1, 1024) (export time,
// run at batch 13, and the cost of checking all inputs before a run); plus large-tensor throughput (add of two 4M-float tensors vs memcpy of the same bytes,
// 256x256 f32 matmul). Prints one JSON object with medians over repeats.
//
// usage: bench_tensor [repeats]   (default 7)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "symshape/export.hpp"
#include "symshape/io.hpp"
#include "programs.hpp"

using namespace symshape;
using symshape::programs::mlp;
using symshape::programs::mlp_weights;
using symshape::programs::slicer;

namespace {

using clock_type = std::chrono::steady_clock;

/// Median over `repeats` of the time per iteration (in microseconds) of `iters` calls of `f`.
template <class F> double median_us(int repeats, int iters, F&& f) {
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = clock_type::now();
        for (int i = 0; i < iters; ++i) f();
        auto t1 = clock_type::now();
        t.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / iters);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

/// Keep a result alive so the work is not optimised away.
volatile double sink = 0;
void consume(const tensor& t) { sink = sink + static_cast<double>(t.numel()); }

struct program_result {
    double eager_us, export_us, run_us;
    int nodes;
};

template <class Eager, class Export, class Run>
program_result measure(int repeats, int iters, Eager&& eager, Export&& exp, Run&& run, int nodes) {
    program_result r{};
    r.eager_us = median_us(repeats, iters, eager);
    r.export_us = median_us(repeats, std::max(1, iters / 4), exp);
    r.run_us = median_us(repeats, iters, run);
    r.nodes = nodes;
    return r;
}

void print_program(const char* name, const program_result& r, int batch, bool last = false) {
    std::printf("  \"%s\": {\"batch\": %d, \"ops\": %d, \"eager_us_per_call\": %.3f, \"eager_us_per_op\": %.3f, "
                "\"export_us\": %.3f, \"export_us_per_node\": %.3f, \"record_us_per_node\": %.3f, "
                "\"run_us_per_call\": %.3f}%s\n",
                name, batch, r.nodes, r.eager_us, r.eager_us / r.nodes, r.export_us, r.export_us / r.nodes,
                (r.export_us - r.eager_us) / r.nodes, r.run_us, last ? "" : ",");
}

} // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    const int batch = 8;

    // ---- mlp ----
    mlp_weights w;
    tensor x = randn({batch, 32}, 7);
    exported_program ep_mlp = export_program(mlp, named("x", x), named("W1", w.w1), named("b1", w.b1), named("W2", w.w2),
                                             named("b2", w.b2), named("W3", w.w3), named("b3", w.b3));
    std::vector<tensor> mlp_in{x, w.w1, w.b1, w.w2, w.b2, w.w3, w.b3};
    if (!equal(ep_mlp.run(mlp_in)[0], mlp(x, w.w1, w.b1, w.w2, w.b2, w.w3, w.b3))) {
        std::cerr << "mlp: run() differs from eager\n";
        return 1;
    }
    program_result mr = measure(
        repeats, 2000, [&] { consume(mlp(x, w.w1, w.b1, w.w2, w.b2, w.w3, w.b3)); },
        [&] {
            exported_program e = export_program(mlp, named("x", x), named("W1", w.w1), named("b1", w.b1),
                                                named("W2", w.w2), named("b2", w.b2), named("W3", w.w3), named("b3", w.b3));
            sink = sink + e.graph().call_count();
        },
        [&] { consume(ep_mlp.run(mlp_in)[0]); }, ep_mlp.graph().call_count());

    // ---- mlp_dynamic: the same program exported with a dynamic batch ----
    const dynamic_shapes batch_dim{{"x", {{0, dim("batch", 1, 1024)}}}};
    auto export_dynamic = [&] {
        return export_program(mlp, batch_dim, named("x", x), named("W1", w.w1), named("b1", w.b1), named("W2", w.w2),
                              named("b2", w.b2), named("W3", w.w3), named("b3", w.b3));
    };
    exported_program ep_dyn = export_dynamic();
    for (int b : {13, 64}) {
        tensor xb = randn({b, 32}, 20 + b);
        std::vector<tensor> in{xb, w.w1, w.b1, w.w2, w.b2, w.w3, w.b3};
        if (!equal(ep_dyn.run(in)[0], mlp(xb, w.w1, w.b1, w.w2, w.b2, w.w3, w.b3))) {
            std::cerr << "mlp_dynamic: run() at batch " << b << " differs from eager\n";
            return 1;
        }
    }
    const double dyn_export_us = median_us(repeats, 200, [&] { sink = sink + export_dynamic().graph().call_count(); });
    tensor x13 = randn({13, 32}, 33);
    std::vector<tensor> dyn_in{x13, w.w1, w.b1, w.w2, w.b2, w.w3, w.b3};
    const double dyn_run_us = median_us(repeats, 2000, [&] { consume(ep_dyn.run(dyn_in)[0]); });
    const double check_ns = 1e3 * median_us(repeats, 200000, [&] { ep_dyn.check_inputs(dyn_in); });

    // ---- slicer ----
    tensor xs = randn({batch, 8}, 8);
    exported_program ep_sl = export_program(slicer, named("x", xs));
    {
        auto got = ep_sl.run({xs});
        auto want = slicer(xs);
        if (!equal(got[0], want.first) || !equal(got[1], want.second)) {
            std::cerr << "slicer: run() differs from eager\n";
            return 1;
        }
    }
    std::vector<tensor> sl_in{xs};
    program_result sr = measure(
        repeats, 5000, [&] { consume(slicer(xs).first); },
        [&] {
            exported_program e = export_program(slicer, named("x", xs));
            sink = sink + e.graph().call_count();
        },
        [&] { consume(ep_sl.run(sl_in)[0]); }, ep_sl.graph().call_count());

    // ---- add of two 4M-float tensors vs memcpy of the same bytes ----
    const std::int64_t n = 4 * 1024 * 1024;
    tensor a = randn({n}, 9), b = randn({n}, 10);
    const double bytes = static_cast<double>(n) * sizeof(float);
    consume(a + b); // warm the allocator
    double add_us = median_us(repeats, 10, [&] { consume(a + b); });
    std::vector<float> src(static_cast<std::size_t>(n), 1.0f), dst(static_cast<std::size_t>(n));
    double memcpy_us = median_us(repeats, 10, [&] {
        std::memcpy(dst.data(), src.data(), static_cast<std::size_t>(bytes));
        sink = sink + dst[static_cast<std::size_t>(n / 2)];
    });
    // Bytes moved: add reads two tensors and writes one; memcpy reads one and writes one.
    const double add_gbps = 3 * bytes / (add_us * 1e3), memcpy_gbps = 2 * bytes / (memcpy_us * 1e3);

    // ---- 256x256 f32 matmul ----
    tensor ma = randn({256, 256}, 11), mb = randn({256, 256}, 12);
    consume(matmul(ma, mb));
    double mm_us = median_us(repeats, 20, [&] { consume(matmul(ma, mb)); });
    const double gflops = 2.0 * 256 * 256 * 256 / (mm_us * 1e3);

    // ---- fixed cost of one op: add of two [8, 8] tensors, and a view ----
    tensor s8 = randn({8, 8}, 13);
    double small_add_us = median_us(repeats, 20000, [&] { consume(s8 + s8); });
    double view_us = median_us(repeats, 20000, [&] { consume(s8.view({64})); });

    std::printf("{\n");
    print_program("mlp", mr, batch);
    std::printf("  \"mlp_dynamic\": {\"batch_range\": [1, 1024], \"nodes\": %zu, \"export_us\": %.3f, "
                "\"run_us_batch13\": %.3f, \"check_inputs_ns\": %.1f, \"checks\": %zu},\n",
                ep_dyn.graph().nodes.size(), dyn_export_us, dyn_run_us, check_ns, ep_dyn.check_count());
    print_program("slicer", sr, batch);
    std::printf("  \"add_4m\": {\"elements\": %lld, \"us\": %.1f, \"gbps\": %.2f, \"memcpy_us\": %.1f, \"memcpy_gbps\": %.2f, "
                "\"ratio\": %.3f},\n",
                static_cast<long long>(n), add_us, add_gbps, memcpy_us, memcpy_gbps, add_gbps / memcpy_gbps);
    std::printf("  \"matmul_256\": {\"us\": %.1f, \"gflops\": %.2f},\n", mm_us, gflops);
    std::printf("  \"op_overhead\": {\"add_8x8_us\": %.3f, \"view_us\": %.3f},\n", small_add_us, view_us);
    std::printf("  \"repeats\": %d\n}\n", repeats);
    return 0;
}
