"""PyTorch side of the round-trip test (test/interop/pytorch.test.ts), run with Debian's python3-torch.

For each folder written by `exportPytorch` (model.py, weights.safetensors) plus input.safetensors
(x, y) and train.json ({"optimizer": "sgd" | "adam", "lr": ..., "steps": ...}):
  1. loads the module and its weights, and writes its eval-mode output on x as `before` (and, for
     an autoencoder's module, encode(x) as `codes`);
  2. trains it for `steps` optimizer steps on the MSE between model(x) and y (plus the KL terms of
     any Sampling module), in training mode;
  3. writes the trained weights with the module's own save_weights (trained.safetensors) and the
     eval-mode output after training as `after` (outputs.safetensors).
"""

import importlib.util
import json
import sys

import torch

torch.manual_seed(0)
torch.set_num_threads(1)

for folder in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location(f"exported_{abs(hash(folder))}", f"{folder}/model.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.HourglassModel()
    mod.load_weights(model, f"{folder}/weights.safetensors")
    data = mod.read_safetensors(f"{folder}/input.safetensors")
    x, y = data["x"], data["y"]
    with open(f"{folder}/train.json") as f:
        cfg = json.load(f)
    model.eval()
    with torch.no_grad():
        before = model(x)
        codes = model.encode(x) if hasattr(model, "encode") else None
    params = [p for p in model.parameters() if p.requires_grad]
    if cfg["optimizer"] == "sgd":
        opt = torch.optim.SGD(params, lr=cfg["lr"], momentum=0.9)
    else:
        opt = torch.optim.Adam(params, lr=cfg["lr"])
    model.train()
    loss = torch.zeros(())
    for _ in range(cfg["steps"]):
        opt.zero_grad()
        loss = torch.mean((model(x) - y) ** 2)
        for m in model.modules():
            if isinstance(getattr(m, "kl", None), torch.Tensor):
                loss = loss + m.kl
        loss.backward()
        opt.step()
    mod.save_weights(model, f"{folder}/trained.safetensors")
    model.eval()
    with torch.no_grad():
        after = model(x)
    outputs = {"before": before, "after": after}
    if codes is not None:
        outputs["codes"] = codes
    mod.write_safetensors(f"{folder}/outputs.safetensors", outputs)
    print(f"{folder}: loss {loss.item():.5f}")
