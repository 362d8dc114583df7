"""Train an exported Hourglass model on several processes or machines with PyTorch DDP.

    hourglass export model/ --format pytorch --out torch_model/
    torchrun --nproc_per_node=2 examples/pytorch_ddp/train_ddp.py torch_model/ rows.npy --epochs 5
    # several machines: torchrun --nnodes=2 --node_rank=<0|1> --master_addr=<host> --nproc_per_node=<gpus> ...
    hourglass import torch_model/ --into model/

rows.npy holds the rows as the model takes them ([n, ...input shape], float32; for tables, scaled as
the model's preprocessing in model.json says). The loss is the mean squared reconstruction error
(plus the KL term of a variational model). Rank 0 writes the trained weights over
torch_model/weights.safetensors, ready for `hourglass import`.
"""

import argparse
import importlib.util
import os

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", help="the folder from hourglass export --format pytorch")
    ap.add_argument("rows", help=".npy file of training rows")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=64, help="rows per process and step")
    ap.add_argument("--lr", type=float, default=1e-3)
    args = ap.parse_args()

    cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if cuda else "gloo")
    rank, local = dist.get_rank(), int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device(f"cuda:{local}" if cuda else "cpu")
    torch.manual_seed(0)  # the same start on every process (DDP also broadcasts rank 0's weights)

    spec = importlib.util.spec_from_file_location("hourglass_model", os.path.join(args.folder, "model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    net = mod.HourglassModel()
    mod.load_weights(net, os.path.join(args.folder, "weights.safetensors"))
    model = DDP(net.to(device), device_ids=[local] if cuda else None)

    rows = torch.from_numpy(np.load(args.rows).astype(np.float32))
    sampler = DistributedSampler(TensorDataset(rows), shuffle=True, seed=0)
    loader = DataLoader(TensorDataset(rows), batch_size=args.batch, sampler=sampler)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        model.train()
        total = torch.zeros(2, device=device)
        for (x,) in loader:
            x = x.to(device)
            opt.zero_grad()
            loss = torch.mean((model(x) - x) ** 2)
            for m in net.modules():  # a variational model's KL term (see Sampling in model.py)
                if isinstance(getattr(m, "kl", None), torch.Tensor) and m.kl.requires_grad:
                    loss = loss + m.kl
            loss.backward()
            opt.step()
            total += torch.stack([loss.detach() * len(x), torch.tensor(float(len(x)), device=device)])
        dist.all_reduce(total)
        if rank == 0:
            print(f"epoch {epoch + 1}: loss {(total[0] / total[1]).item():.5f}")
    if rank == 0:
        mod.save_weights(model, os.path.join(args.folder, "weights.safetensors"))
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
