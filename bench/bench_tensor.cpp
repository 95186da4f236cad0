// bench_tensor — the two peer programs of ../shared/peers.md (mlp, slicer) written with symshape:
// eager time per call and per op, export time (and per recorded node), run() time of the exported
// program; mlp_dynamic: mlp exported with a dynamic batch dim("batch", 1, 1024) (export time,
// run at batch 13, and the cost of checking all inputs before a run); plus large-tensor throughput (add of two 4M-float tensors vs memcpy of the same bytes,
// 256x256 f32 matmul); run_memory: peak memory growth of one run() of a 48-layer stack beside eager
// (Linux: VmHWM after /proc/self/clear_refs, each measured in a forked child after the same
// export; and exactly, as peak bytes of tensor storage from tensor_memory()); export_params: export time of a module with 500 and 8,000 one-element parameters;
// export_nodes: export time per node of a chain of 100 .. 20,000 ops with a dynamic batch;
// export_cond: export time of a program with a symbolic cond beside the same program as an if;
// conv2d and attention kernels, beside libtorch (1 thread) in the same process when the build
// found it (Debian libtorch-dev; -DSYMSHAPE_WITH_TORCH), with the largest difference of results.
// Prints one JSON object with medians over repeats.
//
// usage: bench_tensor [repeats]   (default 7)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <fstream>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#ifdef SYMSHAPE_WITH_TORCH
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#endif

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


// ---- memory: a 48-layer stack, eager vs run() ----

/// 48 layers of matmul, sigmoid(h) * h, softmax and a residual add, on x [3, 256, 64].
struct stack48 : module {
    std::vector<tensor> w;
    stack48() {
        w.reserve(48);
        for (int i = 0; i < 48; ++i) {
            w.push_back(randn({64, 64}, 100 + i) * 0.05);
            register_parameter("w" + std::to_string(i), w.back());
        }
    }
    tensor forward(const tensor& x0) {
        tensor x = x0;
        for (const tensor& wi : w) {
            tensor h = matmul(x, wi);
            x = x + softmax(h.sigmoid() * h, -1) * 0.5;
        }
        return x;
    }
};

/// A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"), or -1.
long status_kib(const char* field) {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
    return -1;
}

/// Growth of peak RSS (MiB) while `f` runs, measured in a forked child so that one measurement
/// cannot reuse memory another freed; -1 where /proc/self/clear_refs is not available.
template <class F>
double peak_growth_mib(F&& f) {
    int fd[2];
    if (pipe(fd) != 0) return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        double r = -1;
        {
            std::ofstream reset("/proc/self/clear_refs");
            reset << "5";
        }
        const long before = status_kib("VmRSS:");
        f();
        const long peak = status_kib("VmHWM:");
        if (before >= 0 && peak >= 0) r = (peak - before) / 1024.0;
        if (write(fd[1], &r, sizeof r) != sizeof r) _exit(1);
        _exit(0);
    }
    close(fd[1]);
    double r = -1;
    if (pid < 0 || read(fd[0], &r, sizeof r) != sizeof r) r = -1;
    close(fd[0]);
    if (pid > 0) waitpid(pid, nullptr, 0);
    return r;
}

// ---- export cost in the number of parameters ----

struct many_params : module {
    std::vector<tensor> p;
    explicit many_params(int n) {
        p.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            p.push_back(full({1}, static_cast<double>(i)));
            register_parameter("w" + std::to_string(i), p.back());
        }
    }
    tensor forward(const tensor& x) { return x * 2; }
};

/// Fastest of `repeats` exports (ms) of a module with n parameters (construction included).
double export_params_ms(int n, int repeats) {
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = clock_type::now();
        many_params m(n);
        exported_program ep = export_program(m, named("x", full({2}, 1.0)));
        const auto t1 = clock_type::now();
        best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (ep.graph().inputs.size() != static_cast<std::size_t>(n) + 1) std::abort();
    }
    return best;
}

// ---- export cost in the number of nodes ----

/// Fastest of `repeats` exports of a chain of n elementwise ops on x [batch, 8] with a dynamic
/// batch, in microseconds per node.
double export_us_per_node(int n, int repeats) {
    auto chain = [n](const tensor& x) {
        tensor y = x;
        for (int i = 0; i < n; ++i) y = i % 2 ? y * 1.0001 : y + 0.5;
        return y;
    };
    const dynamic_shapes dyn{{"x", {{0, dim("batch", 1, 1024)}}}};
    const tensor x = randn({4, 8}, 1);
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = clock_type::now();
        exported_program ep = export_program(chain, dyn, named("x", x));
        const auto t1 = clock_type::now();
        if (ep.graph().call_count() != n) std::abort();
        best = std::min(best, std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    return best / n;
}

// ---- export with a symbolic cond ----

/// Median export time (us) of a program whose two branches are chains of 20 ops on x [batch, 8]:
/// as one symbolic cond (both branches traced as subgraphs), and as a C++ if on the same predicate
/// (one branch traced, a guard; the dim is auto_ so that export adopts the guard).
std::pair<double, double> export_cond_us(int repeats) {
    auto chain = [](const tensor& x, double k) {
        tensor y = x;
        for (int i = 0; i < 20; ++i) y = i % 2 ? y * k : y + 0.5;
        return y;
    };
    auto a = [&](const tensor& x) { return chain(x, 1.0001); };
    auto b = [&](const tensor& x) { return chain(x, 0.9999); };
    auto with_cond = [&](const tensor& x) { return cond(x.size(0) > 8, a, b, x); };
    auto with_if = [&](const tensor& x) { return x.size(0) > 8 ? a(x) : b(x); };
    const tensor x = randn({16, 8}, 1);
    std::vector<double> tc, ti;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = clock_type::now();
        exported_program ec = export_program(with_cond, dynamic_shapes{{"x", {{0, dim("batch", 1, 1024)}}}}, named("x", x));
        auto t1 = clock_type::now();
        exported_program ei = export_program(with_if, dynamic_shapes{{"x", {{0, dim::auto_("batch", 1, 1024)}}}}, named("x", x));
        auto t2 = clock_type::now();
        if (ec.graph().subgraphs.size() != 2 || ei.guards().size() != 1) std::abort();
        tc.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        ti.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
    }
    std::sort(tc.begin(), tc.end());
    std::sort(ti.begin(), ti.end());
    return {tc[tc.size() / 2], ti[ti.size() / 2]};
}

// ---- kernels beside libtorch ----

struct kernel_result {
    double us = 0, torch_us = -1, max_diff = -1;
};

#ifdef SYMSHAPE_WITH_TORCH
at::Tensor to_torch(const tensor& t) {
    tensor c = t.contiguous();
    std::vector<std::int64_t> sizes;
    for (const sym_int& s : c.sizes()) sizes.push_back(s.unsafe_hint());
    return at::from_blob(c.data_ptr<float>(), sizes, at::kFloat).clone();
}
double max_diff(const tensor& a, const at::Tensor& b) { return (to_torch(a) - b).abs().max().item<double>(); }
#endif

/// conv2d of x [8, 16, 64, 64] with w [32, 16, 3, 3], bias, padding 1.
kernel_result bench_conv2d(int repeats) {
    tensor x = randn({8, 16, 64, 64}, 31), w = randn({32, 16, 3, 3}, 32) * 0.1, b = randn({32}, 33);
    kernel_result r;
    tensor out = conv2d(x, w, b, 1, 1);
    r.us = median_us(repeats, 3, [&] { consume(conv2d(x, w, b, 1, 1)); });
#ifdef SYMSHAPE_WITH_TORCH
    at::Tensor tx = to_torch(x), tw = to_torch(w), tb = to_torch(b);
    r.max_diff = max_diff(out, at::conv2d(tx, tw, tb, {1, 1}, {1, 1}));
    r.torch_us = median_us(repeats, 3, [&] { sink = sink + static_cast<double>(at::conv2d(tx, tw, tb, {1, 1}, {1, 1}).numel()); });
#endif
    return r;
}

/// Causal attention on q, k, v [4, 8, 256, 64].
kernel_result bench_attention(int repeats) {
    tensor q = randn({4, 8, 256, 64}, 41), k = randn({4, 8, 256, 64}, 42), v = randn({4, 8, 256, 64}, 43);
    kernel_result r;
    tensor out = scaled_dot_product_attention(q, k, v, {}, true);
    r.us = median_us(repeats, 3, [&] { consume(scaled_dot_product_attention(q, k, v, {}, true)); });
#ifdef SYMSHAPE_WITH_TORCH
    at::Tensor tq = to_torch(q), tk = to_torch(k), tv = to_torch(v);
    auto run = [&] { return std::get<0>(at::_scaled_dot_product_attention(tq, tk, tv, {}, 0.0, false, true)); };
    r.max_diff = max_diff(out, run());
    r.torch_us = median_us(repeats, 3, [&] { sink = sink + static_cast<double>(run().numel()); });
#endif
    return r;
}

void print_kernel(const char* name, const char* shapes, const kernel_result& r) {
    std::printf("  \"%s\": {\"shapes\": \"%s\", \"us\": %.1f", name, shapes, r.us);
    if (r.torch_us >= 0)
        std::printf(", \"libtorch_us\": %.1f, \"ratio_to_libtorch\": %.2f, \"max_abs_diff\": %.2e", r.torch_us, r.us / r.torch_us,
                    r.max_diff);
    else
        std::printf(", \"libtorch\": \"not built in (install libtorch-dev and reconfigure)\"");
    std::printf("},\n");
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

    // ---- run_memory: one call of a 48-layer stack after the same export, eager vs run() ----
    stack48 st;
    tensor sx = randn({3, 256, 64}, 21), sx2 = randn({3, 256, 64}, 22);
    exported_program ep_stack = export_program(st, named("x", sx));
    if (!allclose(ep_stack.run({sx2})[0], st.forward(sx2))) {
        std::cerr << "stack48: run() differs from eager\n";
        return 1;
    }
    const double eager_mib = peak_growth_mib([&] { consume(st.forward(sx2)); });
    const double run_mib = peak_growth_mib([&] { consume(ep_stack.run({sx2})[0]); });
    // The same, counted exactly: peak bytes of tensor storage alive during the call.
    auto tensor_peak_mib = [](auto&& f) {
        const std::size_t before = tensor_memory().live_bytes;
        reset_peak_tensor_memory();
        f();
        return static_cast<double>(tensor_memory().peak_bytes - before) / (1024.0 * 1024.0);
    };
    const double eager_tensor_mib = tensor_peak_mib([&] { consume(st.forward(sx2)); });
    const double run_tensor_mib = tensor_peak_mib([&] { consume(ep_stack.run({sx2})[0]); });

    // ---- export_params: 500 and 8,000 one-element parameters ----
    const double params_500_ms = export_params_ms(500, 15), params_8000_ms = export_params_ms(8000, 5);

    // ---- export_nodes: a chain of n ops ----
    const int node_counts[] = {100, 1000, 10000, 20000};
    double per_node[4];
    for (int i = 0; i < 4; ++i) per_node[i] = export_us_per_node(node_counts[i], node_counts[i] > 5000 ? 3 : repeats);

    // ---- export with a symbolic cond beside the same program as an if ----
    const auto [cond_us, if_us] = export_cond_us(std::max(repeats, 5));

    // ---- conv2d and attention kernels ----
#ifdef SYMSHAPE_WITH_TORCH
    at::set_num_threads(1); // symshape's kernels run on one thread
#endif
    const kernel_result conv = bench_conv2d(repeats), attn = bench_attention(repeats);

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
    std::printf("  \"run_memory\": {\"program\": \"48 layers on [3, 256, 64]\", \"eager_peak_mib\": %.2f, \"run_peak_mib\": %.2f, "
                "\"eager_tensor_peak_mib\": %.3f, \"run_tensor_peak_mib\": %.3f, \"tensor_ratio\": %.2f},\n",
                eager_mib, run_mib, eager_tensor_mib, run_tensor_mib, run_tensor_mib / eager_tensor_mib);
    std::printf("  \"export_params\": {\"ms_500\": %.3f, \"ms_8000\": %.3f, \"ratio\": %.1f},\n", params_500_ms,
                params_8000_ms, params_8000_ms / params_500_ms);
    std::printf("  \"export_nodes\": {\"us_per_node_100\": %.3f, \"us_per_node_1000\": %.3f, \"us_per_node_10000\": %.3f, "
                "\"us_per_node_20000\": %.3f, \"ratio_20000_to_100\": %.2f},\n",
                per_node[0], per_node[1], per_node[2], per_node[3], per_node[3] / per_node[0]);
    std::printf("  \"export_cond\": {\"program\": \"two branches of 20 ops on [batch, 8]\", \"cond_us\": %.1f, \"if_us\": %.1f, "
                "\"ratio\": %.2f},\n",
                cond_us, if_us, cond_us / if_us);
    print_kernel("conv2d", "x [8, 16, 64, 64], w [32, 16, 3, 3], padding 1", conv);
    print_kernel("attention", "q, k, v [4, 8, 256, 64], causal", attn);
    std::printf("  \"repeats\": %d\n}\n", repeats);
    return 0;
}
