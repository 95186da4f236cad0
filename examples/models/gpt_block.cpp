// A GPT-style language model, exported with a dynamic batch B and sequence length T: token and
// position embeddings, pre-norm blocks of causal self-attention (one scaled_dot_product_attention
// node) and a GELU MLP with residuals, a final layer norm and a head.
//
// The position table has 1024 rows and is sliced to T (`wpe[:T]`, as nanoGPT does). Declaring
// T in [1, 2048] is refused: the slice needs T <= 1024, and the constraint violation says so.
// With the fix, T in [1, 1024], the program exports with no guard and re-runs at new sizes.
#include <iostream>

#include "../exportdb/check.hpp"
#include "symshape/symshape.hpp"

namespace {
namespace ss = symshape;

constexpr std::int64_t vocab = 256, channels = 64, heads = 4, layers = 2, block_size = 1024;

// Deterministic small weights: each parameter its own seed.
ss::tensor weights(const ss::shape_vec& sizes, std::uint64_t seed, double scale = 0.05) { return ss::randn(sizes, seed) * scale; }

struct linear_layer : ss::module {
    ss::tensor weight, bias;
    linear_layer(std::int64_t in, std::int64_t out, std::uint64_t seed, bool with_bias = true)
        : weight(weights({out, in}, seed)), bias(with_bias ? ss::zeros({out}) : ss::tensor()) {
        register_parameter("weight", weight);
        if (with_bias) register_parameter("bias", bias);
    }
    ss::tensor operator()(const ss::tensor& x) const { return bias.defined() ? ss::linear(x, weight, bias) : ss::linear(x, weight); }
};

struct layer_norm_layer : ss::module {
    ss::tensor weight = ss::ones({channels}), bias = ss::zeros({channels});
    layer_norm_layer() {
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }
    ss::tensor operator()(const ss::tensor& x) const { return ss::layer_norm(x, {channels}, weight, bias); }
};

struct self_attention : ss::module {
    linear_layer qkv, proj;
    explicit self_attention(std::uint64_t seed) : qkv(channels, 3 * channels, seed), proj(channels, channels, seed + 1) {
        register_module("c_attn", qkv);
        register_module("c_proj", proj);
    }
    ss::tensor operator()(const ss::tensor& x) const {
        const ss::sym_int B = x.size(0), T = x.size(1);
        std::vector<ss::tensor> parts = ss::split(qkv(x), channels, 2); // q, k, v: [B, T, C] each
        auto heads_of = [&](const ss::tensor& t) { return t.view({B, T, heads, channels / heads}).transpose(1, 2); };
        // (named first: C++ leaves the order of a call's arguments open, and the graph records ops
        // in the order they run; Python's is q, k, v)
        ss::tensor q = heads_of(parts[0]), k = heads_of(parts[1]), v = heads_of(parts[2]);
        ss::tensor y = ss::scaled_dot_product_attention(q, k, v, {}, true);
        return proj(y.transpose(1, 2).reshape({B, T, channels}));
    }
};

struct mlp : ss::module {
    linear_layer fc, proj;
    explicit mlp(std::uint64_t seed) : fc(channels, 4 * channels, seed), proj(4 * channels, channels, seed + 1) {
        register_module("c_fc", fc);
        register_module("c_proj", proj);
    }
    ss::tensor operator()(const ss::tensor& x) const { return proj(ss::gelu(fc(x))); }
};

struct block : ss::module {
    layer_norm_layer ln_1, ln_2;
    self_attention attn;
    mlp ffn;
    explicit block(std::uint64_t seed) : attn(seed), ffn(seed + 10) {
        register_module("ln_1", ln_1);
        register_module("attn", attn);
        register_module("ln_2", ln_2);
        register_module("mlp", ffn);
    }
    ss::tensor operator()(ss::tensor x) const {
        x = x + attn(ln_1(x));
        return x + ffn(ln_2(x));
    }
};

struct gpt : ss::module {
    ss::tensor wte = weights({vocab, channels}, 1), wpe = weights({block_size, channels}, 2);
    ss::module_list<block> h;
    layer_norm_layer ln_f;
    linear_layer lm_head{channels, vocab, 3, false};
    gpt() {
        register_parameter("wte", wte);
        register_parameter("wpe", wpe);
        for (std::int64_t i = 0; i < layers; ++i) h.emplace_back(100 + 100 * static_cast<std::uint64_t>(i));
        register_module("h", h);
        register_module("ln_f", ln_f);
        register_module("lm_head", lm_head);
    }
    ss::tensor forward(const ss::tensor& idx) const {
        const ss::sym_int T = idx.size(1);
        ss::tensor tok = ss::embedding(wte, idx);  // [B, T, C] (named first, as Python runs it)
        ss::tensor x = tok + wpe.slice(0, 0, T); // + [T, C]
        for (const block& b : h) x = b(x);
        return lm_head(ln_f(x));
    }
};

ss::tensor tokens(std::int64_t b, std::int64_t t, std::uint64_t seed) {
    return (ss::rand({b, t}, seed) * static_cast<double>(vocab)).to(ss::dtype::i64);
}
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "gpt_block");
    gpt model;
    const ss::tensor example = tokens(2, 16, 7);

    exportdb::section("T in [1, 2048]: more than the position table holds");
    int rc = exportdb::expect_error<ss::constraint_violation>("export", [&] {
        ss::dim B("B", 1, 64), T("T", 1, 2048);
        (void)ss::export_program(model, ss::dynamic_shapes{{"idx", {{0, B}, {1, T}}}}, ss::named("idx", example));
    });

    exportdb::section("with the fix, T in [1, 1024]");
    ss::dim B("B", 1, 64), T("T", 1, block_size);
    ss::exported_program ep = ss::export_program(model, ss::dynamic_shapes{{"idx", {{0, B}, {1, T}}}}, ss::named("idx", example));
    std::cout << "guards: " << ep.guards().size() << "\n";
    rc |= exportdb::report_runs(ep, {{tokens(1, 5, 11)}, {tokens(3, 100, 12)}, {tokens(2, 1024, 13)}},
                                [&](std::vector<ss::tensor>& in) { return std::vector<ss::tensor>{model.forward(in[0])}; });
    return rc;
}
